package dev.agbscript.cloud;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The streaming connection of one cloud session: a single WebSocket to the session's {@code wsUrl}
 * (authenticated by {@code X-Access-Token}) carrying every streamed run, multiplexed by invocation id.
 *
 * <p>Heartbeats are WebSocket pings (OkHttp's ping interval): a missing pong drops the connection. When the
 * connection drops, every pending run fails with {@link AgbTransportException}; the next run connects again,
 * retrying a failed connect with backoff. Whatever keeps the run frame from being sent (a refused handshake,
 * a proxy that blocks the upgrade, a connect that fails or hangs) is {@link NotConnectedException}: the code
 * certainly did not run, so the caller may run it another way.
 */
final class StreamChannel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamChannel.class.getName());
    private static final Gson GSON = new Gson();
    private static final int CONNECT_ATTEMPTS = 3;

    private final OkHttpClient client;
    private final String wsUrl;
    private final String token;
    private final Duration firstBackoff;
    private final Duration connectLimit;
    private final Map<String, StreamInvocation> pending = new ConcurrentHashMap<>();
    private Connection connection;
    private boolean closed;

    /**
     * @param client       a client with the heartbeat as ping interval
     * @param connectLimit how long opening the connection may take, the upgrade's answer included
     */
    StreamChannel(OkHttpClient client, String wsUrl, String token, Duration firstBackoff, Duration connectLimit) {
        this.client = client;
        this.wsUrl = wsUrl;
        this.token = token;
        this.firstBackoff = firstBackoff;
        this.connectLimit = connectLimit;
    }

    /** The run frame was not sent: the connection could not be opened, or closed before the frame left. */
    static final class NotConnectedException extends RuntimeException {
        /** The HTTP status of a refused handshake, or 0 when there was no answer. */
        final int status;

        NotConnectedException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }
    }

    /**
     * Runs the code over the stream, outputs reaching the listener live.
     *
     * @param wait how long to wait for the end frame before giving up with a timeout result
     */
    ExecutionResult run(ExecutionRequest request, String target, ExecutionListener listener, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Connection open = open(Math.min(deadline, System.nanoTime() + connectLimit.toNanos()));
        String id = UUID.randomUUID().toString().replace("-", "");
        StreamInvocation invocation = new StreamInvocation(id, listener);
        pending.put(id, invocation);
        open.invocations.add(id);
        try {
            // Dropped between open() and registration, or closing: the frame does not leave.
            if (open.dropped || !open.socket.send(GSON.toJson(frame(id, target, request)))) {
                throw new NotConnectedException(0, "the stream connection closed before the run was sent", null);
            }
            return await(invocation, deadline, request);
        } finally {
            pending.remove(id);
            open.invocations.remove(id);
        }
    }

    private ExecutionResult await(StreamInvocation invocation, long deadline, ExecutionRequest request)
            throws InterruptedException {
        try {
            return invocation.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ExecutionResult timedOut = invocation.timeOut(ExecutionError.timeout(
                    "Execution timed out after " + AgbClient.timeoutSeconds(request.timeout())
                            + " s: no end of the run arrived from the AGB service"));
            return timedOut != null ? timedOut : await(invocation, System.nanoTime() + 1, request);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AgbTransportException("run_code stream failed: " + e.getCause(), invocation.id(), 0, e.getCause());
        }
    }

    static JsonObject frame(String id, String target, ExecutionRequest request) {
        JsonObject params = new JsonObject();
        params.addProperty("language", request.language().id());
        params.addProperty("timeoutS", AgbClient.timeoutSeconds(request.timeout()));
        params.addProperty("code", request.code());
        JsonObject data = new JsonObject();
        data.addProperty("method", "run_code");
        data.addProperty("mode", "stream");
        data.add("params", params);
        JsonObject frame = new JsonObject();
        frame.addProperty("invocationId", id);
        frame.addProperty("source", "SDK");
        frame.addProperty("target", target);
        frame.add("data", data);
        return frame;
    }

    /**
     * The open connection, connecting (again) when there is none; failed connects are retried with backoff
     * until {@code deadline}. A refused handshake is not retried.
     */
    private Connection open(long deadline) throws InterruptedException {
        Backoff backoff = new Backoff(firstBackoff);
        for (int attempt = 1; ; attempt++) {
            Connection c;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The stream of this session is closed");
                }
                if (connection == null || connection.dropped) {
                    connection = new Connection();
                }
                c = connection;
            }
            try {
                c.opened.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return c;
            } catch (TimeoutException e) {
                c.socket.cancel();
                throw new NotConnectedException(0, "WS connect to the session timed out", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof NotConnectedException rejected) {
                    throw rejected;
                }
                Duration delay = backoff.next();
                if (attempt >= CONNECT_ATTEMPTS || System.nanoTime() + delay.toNanos() > deadline) {
                    throw new NotConnectedException(0, "WS connect failed: " + e.getCause(), e.getCause());
                }
                LOG.fine(() -> "WS connect failed (" + e.getCause() + "); retrying in " + delay.toMillis() + " ms");
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /** The id-less or unknown frames the server pushes are logged and dropped. */
    private void onFrame(String text) {
        JsonObject frame = Json.object(Json.parse(text));
        if (frame == null) {
            LOG.warning("WS protocol error: a frame that is not a JSON object");
            return;
        }
        String id = Json.string(frame, "invocationId", "requestId");
        JsonElement dataElement = frame.get("data");
        JsonObject data = Json.object(dataElement);
        if (id == null) {
            LOG.fine(() -> "WS frame without invocation id ignored: " + abbreviate(text));
            return;
        }
        StreamInvocation invocation = pending.get(id);
        if (invocation == null) {
            LOG.fine(() -> "WS push for no pending invocation ignored: " + abbreviate(text));
            return;
        }
        if (data == null) {
            data = new JsonObject();
            if (dataElement != null) {
                data.add("error", dataElement); // a string payload is a remote error text
            }
        }
        if (invocation.accept(data)) {
            pending.remove(id);
        }
    }

    private void dropped(Connection c, String why) {
        synchronized (this) {
            c.dropped = true;
        }
        List<StreamInvocation> failed = c.invocations.stream().map(pending::remove)
                .filter(java.util.Objects::nonNull).toList();
        for (StreamInvocation invocation : failed) {
            invocation.fail(new AgbTransportException("run_code stream: connection closed (" + why + ")",
                    invocation.id(), 0, null));
        }
        if (!failed.isEmpty()) {
            LOG.warning("The AGB stream connection dropped (" + why + "); " + failed.size() + " run(s) failed");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    @Override
    public void close() {
        Connection c;
        synchronized (this) {
            closed = true;
            c = connection;
            connection = null;
        }
        if (c != null) {
            c.socket.close(1000, "session closed");
            dropped(c, "session closed");
        }
    }

    /** One WebSocket connection and its opening. */
    private final class Connection extends WebSocketListener {
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        final java.util.Set<String> invocations = ConcurrentHashMap.newKeySet();
        final WebSocket socket;
        volatile boolean dropped;

        Connection() {
            Request upgrade = new Request.Builder().url(wsUrl).header("X-Access-Token", token).build();
            this.socket = client.newWebSocket(upgrade, this);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            try {
                onFrame(text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "WS frame could not be handled", e);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            // Marked dropped before answering the close: the next run connects anew.
            dropped(this, "closed by the server: " + code + (reason.isEmpty() ? "" : " " + reason));
            webSocket.close(1000, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            dropped(this, "closed: " + code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            if (!opened.isDone()) {
                dropped = true;
                opened.completeExceptionally(response != null ? new NotConnectedException(response.code(),
                        "WS connection rejected: HTTP " + response.code(), null) : t);
                return;
            }
            dropped(this, String.valueOf(t.getMessage() == null ? t : t.getMessage()));
        }
    }
}
