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
    /** What was printed on the current line so far, when it is program output left open. */
    private final StringBuilder openLine = new StringBuilder();
    /** While the code waits for the person's input, no status is drawn. */
    private boolean statusPaused;

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
        int newline = text.lastIndexOf('\n');
        if (newline >= 0) {
            openLine.setLength(0);
        }
        openLine.append(text, newline + 1, text.length());
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
            openLine.setLength(0);
        }
    }

    /**
     * Before a line editor reads on the current line: returns to its start and hands back what the program printed
     * there, to redraw as the start of the editor's prompt (an editor draws from the line's start).
     */
    synchronized String pendingLine() {
        clearStatus();
        String pending = openLine.toString();
        if (!pending.isEmpty()) {
            out.print("\r");
            out.flush();
        }
        return pending;
    }

    /** A line editor has read a line and ended it: the cursor is at the start of a new line. */
    synchronized void answered() {
        atLineStart = true;
        openLine.setLength(0);
    }

    /** Pauses (and erases) or resumes the status line, for the time the person types an answer. */
    synchronized void pauseStatus(boolean paused) {
        if (paused) {
            clearStatus();
        }
        statusPaused = paused;
    }

    /** Shows a transient status on its own line (only on interactive terminals); {@code ""} removes it. */
    synchronized void status(String text) {
        if (!capabilities.interactive() || statusPaused) {
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
