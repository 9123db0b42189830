package dev.agbscript.jshell;

import dev.agbscript.jshell.agent.HostChannel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel's end of {@link HostChannel}: reassembles frames (kind byte, 4-byte length, UTF-8 payload)
 * from the packets they arrive in and hands each complete one to the listener, on the thread that reads
 * the agent's socket, so a frame is handled before anything the agent sent after it.
 */
final class FrameSink extends OutputStream {
    private static final Logger LOG = Logger.getLogger(FrameSink.class.getName());
    /** Receives complete frames. */
    interface Listener {
        void onFrame(byte kind, String payload);
    }

    private final Listener listener;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Bytes the frame being received needs in all, once its header is in; avoids re-scanning big frames. */
    private long awaited = 5;

    FrameSink(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
        if (pending.size() < awaited) {
            return;
        }
        byte[] buffer = pending.toByteArray();
        int start = 0;
        while (buffer.length - start >= 5) {
            int size = ((buffer[start + 1] & 0xFF) << 24) | ((buffer[start + 2] & 0xFF) << 16)
                    | ((buffer[start + 3] & 0xFF) << 8) | (buffer[start + 4] & 0xFF);
            if (buffer.length - start - 5 < size) {
                awaited = 5L + size;
                break;
            }
            try {
                listener.onFrame(buffer[start], new String(buffer, start + 5, size, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                // This runs on JShell's socket reader: an exception here would stop all agent I/O.
                LOG.log(Level.WARNING, "Dropped a frame from the agent", e);
            }
            start += 5 + size;
        }
        if (buffer.length - start < 5) {
            awaited = 5;
        }
        if (start > 0) {
            pending.reset();
            pending.write(buffer, start, buffer.length - start);
        }
    }
}
