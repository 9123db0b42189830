package dev.agbscript.jshell.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The agent's {@code System.in}: the agent process's own standard input, which the kernel writes lines into when
 * asked. Before a read that needs a new line it asks the kernel with a {@link HostChannel#INPUT} frame; the kernel
 * then writes the line, its end, or one of the bytes below, which no typed line holds.
 *
 * <p>Not JShell's own input: its pipe asks the kernel one byte at a time and sometimes asks once too often (a
 * second line request the snippet never made), its end of input closes it for good, and its errors came to the
 * next cell.
 */
public final class SnippetStdin extends InputStream {
    /** EOT (Ctrl-D): the end of the input, for this read. */
    public static final int END_OF_INPUT = 0x04;
    /** NAK: the kernel's client gives no input. */
    public static final int NO_INPUT = 0x15;
    /** CAN: the cell is being interrupted; JShell stops it once this read has returned. */
    public static final int CANCEL = 0x18;
    static final String NO_INPUT_MESSAGE = "System.in has no input here: the program that runs this code gives none"
            + " (the kernel's client said allow_stdin: false)";

    private final InputStream process;
    /** Whether the kernel's last line has been read to its end, so that the next read needs a new one. */
    private boolean lineDone = true;

    SnippetStdin(InputStream process) {
        this.process = process;
    }

    @Override
    public synchronized int read() throws IOException {
        if (lineDone) {
            HostChannel.send(HostChannel.INPUT, "");
            lineDone = false;
        }
        int b = process.read();
        switch (b) {
            case END_OF_INPUT -> {
                lineDone = true;
                return -1;
            }
            case NO_INPUT -> {
                lineDone = true;
                throw new IOException(NO_INPUT_MESSAGE);
            }
            case CANCEL -> {
                lineDone = true;
                throw new InterruptedIOException("Interrupted while waiting for input");
            }
            case -1 -> throw new IOException("The kernel closed the agent's standard input");
            case '\n' -> lineDone = true;
            default -> { }
        }
        return b;
    }

    /** The rest of the current line at most: a line's reader must not wait for the next one. */
    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int first = read();
        if (first < 0) {
            return -1;
        }
        buffer[offset] = (byte) first;
        int n = 1;
        while (!lineDone && n < length) {
            int next = read();
            if (next < 0) {
                break;
            }
            buffer[offset + n++] = (byte) next;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return lineDone ? 0 : process.available();
    }
}
