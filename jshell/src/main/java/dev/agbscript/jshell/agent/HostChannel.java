package dev.agbscript.jshell.agent;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The agent's side of the side channel to the kernel: a named JShell stream ({@value #NAME}) carried on the
 * same socket as stdout, stderr and the command replies, so its frames arrive in order with them.
 * A frame is a kind byte, a 4-byte big-endian length and a UTF-8 JSON payload; user output can never be
 * mistaken for a frame because it travels on other named streams.
 */
public final class HostChannel {
    /** The name of the JShell stream that carries the frames. */
    public static final String NAME = "agb-frames";
    /** A display_data bundle: {@code {"data": {...}, "metadata": {...}}}. */
    public static final byte DISPLAY = 'D';
    /** The JSON of the value an invocation returned; an empty payload when it has none. */
    public static final byte VALUE = 'V';
    /** The snippet reads {@code System.in} and needs a line (see {@link SnippetStdin}); no payload. */
    public static final byte INPUT = 'I';

    private static volatile DataOutputStream out;

    private HostChannel() {}

    static void install(OutputStream stream) {
        out = new DataOutputStream(stream);
    }

    static synchronized void send(byte kind, String payload) {
        DataOutputStream target = out;
        if (target == null) {
            throw new IllegalStateException("Not running in the agb-java kernel: no display channel");
        }
        // stdout/stderr write straight through to the socket, but flush anyway in case a snippet wrapped them.
        flush(System.out);
        flush(System.err);
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        try {
            // One write call: the multiplexer sends it as consecutive packets and flushes once.
            byte[] frame = new byte[5 + bytes.length];
            frame[0] = kind;
            frame[1] = (byte) (bytes.length >>> 24);
            frame[2] = (byte) (bytes.length >>> 16);
            frame[3] = (byte) (bytes.length >>> 8);
            frame[4] = (byte) bytes.length;
            System.arraycopy(bytes, 0, frame, 5, bytes.length);
            target.write(frame);
            target.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("The kernel connection is gone", e);
        }
    }

    private static void flush(PrintStream stream) {
        if (stream != null) {
            stream.flush();
        }
    }
}
