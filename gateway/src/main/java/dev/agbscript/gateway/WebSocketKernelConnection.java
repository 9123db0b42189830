package dev.agbscript.gateway;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.MessageHandler;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One kernel's channels over the gateway's WebSocket ({@code /api/kernels/{id}/channels}): every channel on one
 * socket, in the binary v1 subprotocol when the server offers it, else as JSON ({@link ChannelsCodec}).
 *
 * <p><b>Opening</b> waits for the upgrade, which Jupyter Server holds until the kernel answers {@code kernel_info}
 * (60 s for a kernel that never does), while asking the REST API every second whether the kernel still exists, so
 * that a kernel that dies at start fails the start at once.
 *
 * <p><b>A dropped socket</b> (closed by the network, a proxy, the server) is opened again with the same client
 * session id, for up to {@link GatewayConfig#reconnectFor()}: Jupyter Server buffers a disconnected session's
 * messages from the moment it sees the drop and replays them, so a run in flight completes with its output.
 * What the server wrote into the broken connection before it saw the drop is lost with it, and the Jupyter
 * protocol numbers no messages to tell: the drop is logged as a warning, and a run in flight ends with a line on
 * its stderr that says so ({@link #drops()}). Messages sent meanwhile wait and go out in order. When it cannot be
 * had again, {@link #lost()} says why, and the kernel's owner ends it.
 *
 * <p><b>Pings</b>: the server pings every 30 s and the JDK answers; this side pings too, and a socket silent for
 * three intervals counts as dropped (a half-open TCP connection sends no close).
 */
final class WebSocketKernelConnection implements KernelConnection {
    private static final Logger LOG = Logger.getLogger(WebSocketKernelConnection.class.getName());
    static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    private static final Duration STATE_CHECK = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(1);

    private final GatewayApi api;
    private final String kernelId;
    private final String name;
    private final MessageHandler handler;
    private final ScheduledExecutorService timer;
    private final String clientSessionId = UUID.randomUUID().toString();
    private final Object lock = new Object();
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private WebSocket socket;
    private ChannelsCodec codec = ChannelsCodec.JSON;
    private boolean sending;
    private boolean reconnecting;
    private int opened;
    private ScheduledFuture<?> pings;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile String lost;
    /** Drops so far (guarded by {@code lock}). */
    private int drops;
    private volatile boolean closed;

    private record Outgoing(Channel channel, JupyterMessage message) {}

    /** The kernel itself is gone from the gateway: no new socket will bring it back. */
    private static final class KernelGone extends KernelException {
        KernelGone(String message) {
            super(message);
        }
    }

    /** @param name names the kernel in logs and messages, e.g. {@code the Python kernel} */
    WebSocketKernelConnection(GatewayApi api, String kernelId, String name, MessageHandler handler,
                              ScheduledExecutorService timer) {
        this.api = api;
        this.kernelId = kernelId;
        this.name = name;
        this.handler = handler;
        this.timer = timer;
    }

    @Override
    public String clientSessionId() {
        return clientSessionId;
    }

    /**
     * Opens the socket, waiting until the deadline ({@link System#nanoTime()}).
     *
     * @throws KernelException when the kernel is gone or dead, the gateway refuses, or the deadline passes
     */
    void open(long deadlineNanos) {
        install(connect(deadlineNanos));
        pings = timer.scheduleAtFixedRate(this::ping, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The subprotocol in use: {@value ChannelsCodec#V1}, or {@code json}. */
    String protocol() {
        synchronized (lock) {
            return codec == ChannelsCodec.BINARY ? ChannelsCodec.V1 : "json";
        }
    }

    /** How many times the socket was opened again after it dropped. */
    int reconnects() {
        synchronized (lock) {
            return Math.max(0, opened - 1);
        }
    }

    @Override
    public int drops() {
        synchronized (lock) {
            return drops;
        }
    }

    /** Why the connection cannot be had again (the gateway is gone, or the kernel), or empty. */
    Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    private WebSocket connect(long deadlineNanos) {
        WebSocket.Builder builder = api.webSocket();
        if (api.config().binaryProtocol()) {
            builder.subprotocols(ChannelsCodec.V1);
        }
        CompletableFuture<WebSocket> upgrade = builder.buildAsync(api.channels(kernelId, clientSessionId),
                new Listener());
        long nextCheck = System.nanoTime() + STATE_CHECK.toNanos();
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            try {
                return upgrade.get(Math.max(1, Math.min(left, STATE_CHECK.toNanos() / 4)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    upgrade.cancel(true);
                    throw new KernelException(name + " did not accept its WebSocket in time (the gateway holds it "
                            + "until the kernel answers)");
                }
                if (System.nanoTime() - nextCheck >= 0) {
                    Optional<String> gone = kernelGone();
                    if (gone.isPresent()) {
                        upgrade.cancel(true);
                        throw new KernelGone(name + " " + gone.get());
                    }
                    nextCheck = System.nanoTime() + STATE_CHECK.toNanos();
                }
            } catch (ExecutionException e) {
                String why = name + ": " + upgradeFailure(e.getCause());
                throw e.getCause() instanceof WebSocketHandshakeException handshake
                        && handshake.getResponse().statusCode() == 404 ? new KernelGone(why)
                        : new KernelException(why, e.getCause());
            } catch (InterruptedException e) {
                upgrade.cancel(true);
                Thread.currentThread().interrupt();
                throw new KernelException("Interrupted while opening the WebSocket of " + name, e);
            }
        }
    }

    /** Why the kernel will never answer (the gateway dropped it or gave up restarting it), or empty. */
    private Optional<String> kernelGone() {
        Optional<JsonObject> model = api.kernel(kernelId);
        if (model.isEmpty()) {
            return Optional.of("is gone from the gateway at " + api.config().url() + " (it exited, and the gateway "
                    + "gave up restarting it, or it was shut down)");
        }
        JsonObject kernel = model.get();
        String state = kernel.has("execution_state") && !kernel.get("execution_state").isJsonNull()
                ? kernel.get("execution_state").getAsString() : "";
        return state.equals("dead") ? Optional.of("is dead on the gateway at " + api.config().url()) : Optional.empty();
    }

    private String upgradeFailure(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            if (status == 401 || status == 403) {
                return "the gateway at " + api.config().url() + " refused the WebSocket (HTTP " + status + "): set "
                        + GatewayConfig.TOKEN_SETTING + " to its token";
            }
            if (status == 404) {
                return "the gateway at " + api.config().url() + " has no such kernel any more (HTTP 404)";
            }
            return "the gateway at " + api.config().url() + " refused the WebSocket (HTTP " + status + ")";
        }
        if (cause instanceof ConnectException) {
            return "cannot reach the gateway at " + api.config().url() + " (" + GatewayConfig.URL_SETTING + ")";
        }
        if (cause instanceof HttpTimeoutException) {
            return "the gateway at " + api.config().url() + " did not answer the WebSocket upgrade";
        }
        return "the WebSocket to the gateway at " + api.config().url() + " failed: " + cause;
    }

    private void install(WebSocket opened) {
        synchronized (lock) {
            if (closed) {
                opened.abort();
                return;
            }
            socket = opened;
            codec = ChannelsCodec.forSubprotocol(opened.getSubprotocol());
            reconnecting = false;
            this.opened++;
            lastHeardNanos = System.nanoTime();
        }
        pump();
    }

    @Override
    public void send(Channel channel, JupyterMessage message) {
        if (closed) {
            throw new KernelException("The WebSocket of " + name + " is closed");
        }
        String why = lost;
        if (why != null) {
            throw new KernelException(name + " " + why);
        }
        synchronized (lock) {
            queue.add(new Outgoing(channel, message));
        }
        pump();
    }

    /** Sends the next queued message when the socket is up and no send is under way (the JDK allows one). */
    private void pump() {
        Outgoing next;
        WebSocket target;
        ChannelsCodec encoder;
        synchronized (lock) {
            if (sending || socket == null || queue.isEmpty()) {
                return;
            }
            next = queue.poll();
            target = socket;
            encoder = codec;
            sending = true;
        }
        encoder.encode(next.channel(), next.message()).sendOn(target).whenComplete((ignored, failure) -> {
            synchronized (lock) {
                sending = false;
                if (failure != null && !closed) {
                    queue.addFirst(next); // sent again on the next socket
                }
            }
            if (failure != null) {
                dropped(target, "a send failed: " + failure);
            } else {
                pump();
            }
        });
    }

    /** The socket ended without our asking: open it again, in the background, unless it was replaced already. */
    private void dropped(WebSocket which, String why) {
        synchronized (lock) {
            if (closed || socket != which || reconnecting) {
                return;
            }
            socket = null;
            reconnecting = true;
            drops++;
        }
        LOG.warning("The WebSocket of " + name + " (kernel " + kernelId + ") dropped (" + why + "); reconnecting. A run"
                + " in flight may miss the output the gateway sent at the instant of the drop (its stderr says so)");
        Thread reconnect = new Thread(() -> reconnect(why), "agb-gateway-reconnect-" + kernelId);
        reconnect.setDaemon(true);
        reconnect.start();
    }

    private void reconnect(String why) {
        long deadline = System.nanoTime() + api.config().reconnectFor().toNanos();
        Duration wait = FIRST_RETRY;
        String last = why;
        while (!closed) {
            try {
                install(connect(deadline));
                LOG.info("The WebSocket of " + name + " (kernel " + kernelId + ") is back");
                return;
            } catch (KernelGone e) {
                last = e.getMessage();
                break;
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(wait.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                break; // back-off between attempts, not synchronization: a stopped thread gives up
            }
            wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
        }
        synchronized (lock) {
            queue.clear();
        }
        lost = "lost its connection to the gateway at " + api.config().url() + " (" + why + ") and could not "
                + "reconnect within " + api.config().reconnectFor().toSeconds() + " s (" + last + ")";
        LOG.warning("The WebSocket of " + name + " (kernel " + kernelId + ") " + lost);
    }

    private void ping() {
        WebSocket current;
        synchronized (lock) {
            current = socket;
        }
        if (current == null || closed) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > 3 * PING_INTERVAL.toNanos()) {
            current.abort();
            dropped(current, "nothing heard for " + 3 * PING_INTERVAL.toSeconds() + " s");
            return;
        }
        current.sendPing(ByteBuffer.allocate(0)).exceptionally(failure -> {
            dropped(current, "a ping failed: " + failure);
            return null;
        });
    }

    /** Drops the socket as a network failure would: for tests of reconnecting. */
    void dropForTest() {
        WebSocket current;
        synchronized (lock) {
            current = socket;
        }
        if (current != null) {
            current.abort();
            dropped(current, "dropped by a test");
        }
    }

    @Override
    public void close() {
        WebSocket current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = socket;
            socket = null;
            queue.clear();
        }
        if (pings != null) {
            pings.cancel(false);
        }
        if (current != null) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((ignored, failure) -> current.abort());
        }
    }

    /** Reassembles frames into messages and hands them on, in order, on the HTTP client's thread. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeardNanos = System.nanoTime();
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                deliver(() -> ChannelsCodec.JSON.decode(frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastHeardNanos = System.nanoTime();
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            if (last) {
                byte[] frame = bytes.toByteArray();
                bytes.reset();
                deliver(() -> ChannelsCodec.forSubprotocol(webSocket.getSubprotocol()).decode(frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            webSocket.request(1);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            dropped(webSocket, "closed by the gateway, code " + statusCode + (reason.isEmpty() ? "" : ": " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            dropped(webSocket, String.valueOf(error));
        }

        private void deliver(java.util.function.Supplier<ChannelsCodec.Incoming> decode) {
            ChannelsCodec.Incoming incoming;
            try {
                incoming = decode.get();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An unreadable message from the gateway for " + name + " was dropped", e);
                return;
            }
            if (incoming != null && !closed) {
                handler.onMessage(incoming.channel(), incoming.message());
            }
        }
    }
}
