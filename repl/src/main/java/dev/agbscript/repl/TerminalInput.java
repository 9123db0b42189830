package dev.agbscript.repl;

import dev.agbscript.session.InputSource;
import java.io.IOError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * The person at the terminal answers the code's requests for input ({@code input()}, {@code readline()}): a line
 * read with its own line editor, after the code's prompt, with nothing shown for a password. The spinner pauses
 * meanwhile. Ctrl-C interrupts the code as it would while it runs; Ctrl-D is the end of the input.
 */
final class TerminalInput implements InputSource {
    private final Console console;
    /** No completion and no history: these are answers to the program, not code. */
    private final LineReader reader;
    /** Held while a line is read, so that the REPL's own prompt waits until the terminal is given back. */
    private final ReentrantLock reading = new ReentrantLock();

    TerminalInput(Terminal terminal, Console console) {
        this.console = console;
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("agb-input")
                .variable(LineReader.DISABLE_HISTORY, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    @Override
    public String readLine(String prompt, boolean password) throws IOException {
        reading.lock();
        console.pauseStatus(true);
        try {
            // the prompt continues the code's own unfinished line of output, as in a terminal program
            String line = reader.readLine(console.pendingLine() + prompt, password ? LineReaderImpl.NULL_MASK : null);
            console.answered();
            return line;
        } catch (UserInterruptException | EndOfFileException | IOError e) {
            if (Thread.currentThread().isInterrupted()) {
                // the run ended while the person was still typing (its time limit), and the reading with it: the
                // cursor is still on the prompt's line
                console.print("\n");
                throw new InterruptedIOException("The run ended before the input was given");
            }
            console.answered();
            if (e instanceof UserInterruptException) {
                throw new InterruptedIOException("Interrupted at the input prompt");
            }
            if (e instanceof IOError error) {
                throw new IOException(error.getMessage(), error);
            }
            return null; // Ctrl-D: the end of the input
        } finally {
            console.pauseStatus(false);
            reading.unlock();
        }
    }

    /**
     * Waits until no line is being read. A run that ends while the person types (its time limit) interrupts the
     * reading; until that has unwound, the line editor still holds the terminal's modes.
     */
    void awaitReadEnded() {
        try {
            if (reading.tryLock(2, TimeUnit.SECONDS)) {
                reading.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
