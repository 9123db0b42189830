package dev.agbscript.jshell;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.zmq.SocketLoop;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything the kernel says: replies on shell/control and messages on iopub, with the request they
 * answer as parent. Snippet output arrives here as bytes (in 127-byte packets from the agent); it is
 * buffered for at most {@link #STREAM_FLUSH_MILLIS} so a long line becomes one {@code stream} message, and
 * always flushed before any other iopub message, which keeps prints, displays and results in order.
 */
final class Publisher {
    static final long STREAM_FLUSH_MILLIS = 5;

    private final SocketLoop sockets;
    private final String session = UUID.randomUUID().toString();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agb-jshell-stream-flush");
        thread.setDaemon(true);
        return thread;
    });
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private JupyterMessage parent;
    private boolean flushScheduled;

    Publisher(SocketLoop sockets) {
        this.sockets = sockets;
    }

    /** The request that output belongs to from now on (output between requests goes to the last one). */
    synchronized void parent(JupyterMessage request) {
        flushStreams();
        parent = request;
    }

    /** Bytes a snippet wrote to stdout ({@code "stdout"}) or stderr ({@code "stderr"}). */
    synchronized void streamBytes(String name, byte[] bytes, int offset, int length) {
        ByteArrayOutputStream target = "stderr".equals(name) ? stderr : stdout;
        ByteArrayOutputStream other = target == stdout ? stderr : stdout;
        if (other.size() > 0) {
            flushStreams(); // keeps the interleaving of stdout and stderr
        }
        target.write(bytes, offset, length);
        if (!flushScheduled) {
            flushScheduled = true;
            flusher.schedule(this::flushStreams, STREAM_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void flushStreams() {
        flushScheduled = false;
        flush("stdout", stdout);
        flush("stderr", stderr);
    }

    private void flush(String name, ByteArrayOutputStream buffer) {
        if (buffer.size() == 0 || parent == null) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        int complete = Utf8.completePrefix(bytes);
        buffer.reset();
        buffer.write(bytes, complete, bytes.length - complete); // a character split across packets waits
        if (complete == 0) {
            return;
        }
        JsonObject content = new JsonObject();
        content.addProperty("name", name);
        content.addProperty("text", new String(bytes, 0, complete, StandardCharsets.UTF_8));
        send(Channel.IOPUB, message(parent, "stream", content));
    }

    /** An iopub message about the current request, after any buffered output. */
    synchronized void publish(String msgType, JsonObject content) {
        flushStreams();
        if (parent != null) {
            send(Channel.IOPUB, message(parent, msgType, content));
        }
    }

    /** A status message with the given request as parent. */
    synchronized void status(JupyterMessage request, String state) {
        flushStreams();
        JsonObject content = new JsonObject();
        content.addProperty("execution_state", state);
        send(Channel.IOPUB, message(request, "status", content));
    }

    /**
     * The reply to a request, on the channel it came from (or a request about it, such as an input_request on
     * stdin, routed to the same client). @return the msg_id of what was sent
     */
    synchronized String reply(Channel channel, JupyterMessage request, String msgType, JsonObject content) {
        flushStreams();
        JupyterMessage reply = message(request, msgType, content);
        send(channel, new JupyterMessage(request.identities(), reply.header(), reply.parentHeader(),
                reply.metadata(), reply.content()));
        return reply.msgId();
    }

    private void send(Channel channel, JupyterMessage message) {
        sockets.send(channel, message);
    }

    private JupyterMessage message(JupyterMessage parentMessage, String msgType, JsonObject content) {
        JsonObject header = JupyterMessage.request(msgType, content, session).header();
        List<byte[]> topic = List.of(("kernel." + session + "." + msgType).getBytes(StandardCharsets.US_ASCII));
        return new JupyterMessage(topic, header, parentMessage.header().deepCopy(), new JsonObject(), content);
    }

    void close() {
        flusher.shutdownNow();
    }
}
