package dev.agbscript.repl;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The REPL's one way to write: every output, streamed or rendered, goes through here so that a spinner line
 * is erased before text appears and the next prompt always starts on a fresh line.
 */
final class Console {
    private final PrintWriter out;
    private final TerminalCapabilities capabilities;
    private final Styles styles;
    private boolean atLineStart = true;
    private String status = ""; // what the spinner shows on the current line, if anything

    Console(PrintWriter out, TerminalCapabilities capabilities) {
        this.out = out;
        this.capabilities = capabilities;
        this.styles = new Styles(capabilities.color());
    }

    TerminalCapabilities capabilities() {
        return capabilities;
    }

    Styles styles() {
        return styles;
    }

    synchronized void print(String text) {
        if (text.isEmpty()) {
            return;
        }
        clearStatus();
        out.print(text);
        out.flush();
        atLineStart = text.endsWith("\n");
    }

    synchronized void println(String line) {
        print(line.endsWith("\n") ? line : line + "\n");
    }

    /** Ends a line left open by output without a final newline (before a result or a prompt). */
    synchronized void freshLine() {
        clearStatus();
        if (!atLineStart) {
            out.print("\n");
            out.flush();
            atLineStart = true;
        }
    }

    /** Shows a transient status on its own line (only on interactive terminals); {@code ""} removes it. */
    synchronized void status(String text) {
        if (!capabilities.interactive()) {
            return;
        }
        if (!atLineStart) {
            return; // never overwrite a partial line of program output
        }
        clearStatus();
        if (!text.isEmpty()) {
            out.print(styles.dim(text));
            out.flush();
            status = text;
        }
    }

    private void clearStatus() {
        if (!status.isEmpty()) {
            out.print("\r\u001b[K");
            out.flush();
            status = "";
        }
    }

    /** A writer for a program's stdout (or, in red, its stderr) that streams through this console. */
    Writer stream(boolean stderr) {
        return new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                String chunk = new String(buffer, offset, length);
                print(stderr ? styles.red(chunk) : chunk);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
    }
}
