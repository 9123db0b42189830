package dev.agbscript.cloud;

import dev.agbscript.session.Backend;
import dev.agbscript.session.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * The AGB cloud: every sandbox is an AGB session of the configured image, created through the HTTP API (or
 * an existing one, {@link CloudConfig#sessionId()}), kept alive while it is open, running code over its
 * WebSocket stream or over HTTP as the stream setting says.
 *
 * <p>Beyond the engines' needs it offers what SDK users have: {@link #getSession} ({@code agb.get}),
 * {@link #listSessions} ({@code agb.list}, every page), {@link #metrics} ({@code session.get_metrics}).
 */
public final class CloudBackend implements Backend {
    private final CloudConfig config;
    private final OkHttpClient http;
    private final OkHttpClient ws;
    private final AgbClient client;
    /** One daemon thread for every session's keep-alive: refreshes are short HTTP calls. */
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agb-keep-alive");
        t.setDaemon(true);
        return t;
    });

    /** @throws dev.agbscript.session.SessionException when the configuration has no API key */
    public CloudBackend(CloudConfig config) {
        config.requireApiKey();
        this.config = config;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.timeout())
                .readTimeout(config.timeout())
                .writeTimeout(config.timeout())
                .build();
        // A stream is silent while code runs; the heartbeat, not a read timeout, tells a dead peer.
        this.ws = http.newBuilder().readTimeout(Duration.ZERO).pingInterval(config.heartbeat()).build();
        this.client = new AgbClient(config, http);
    }

    /** From system properties and environment ({@link CloudConfig#fromEnvironment()}). */
    public CloudBackend() {
        this(CloudConfig.fromEnvironment());
    }

    @Override
    public String name() {
        return "cloud";
    }

    public CloudConfig config() {
        return config;
    }

    /** The HTTP API, for calls the session layer does not cover. */
    public AgbClient client() {
        return client;
    }

    @Override
    public Sandbox createSandbox() {
        return new CloudSandbox(this);
    }

    /**
     * An existing AGB session's routes and status ({@code agb.get}); {@link AgbApiException} with
     * {@link AgbApiException#isSessionNotFound()} when there is none.
     */
    public SessionInfo getSession(String sessionId) throws InterruptedException {
        return client.getSession(sessionId);
    }

    /** The sessions of this API key whose labels include all of {@code labels} (every page). */
    public List<AgbClient.SessionSummary> listSessions(Map<String, String> labels) throws InterruptedException {
        return client.listSessions(labels);
    }

    /** CPU, memory, disk and network figures of an AGB session (the {@code get_metrics} tool). */
    public SessionMetrics metrics(String sessionId) throws InterruptedException {
        return client.metrics(client.getSession(sessionId));
    }

    AgbSession newRemote() throws InterruptedException {
        return new AgbSession(client, client.createSession(), true, config, ws, keepAlive);
    }

    /** Attaches to an existing session: it must exist and not be ending. */
    AgbSession attachRemote(String sessionId) throws InterruptedException {
        SessionInfo info = client.getSession(sessionId);
        if (SessionInfo.isGone(info.status())) {
            throw new AgbProtocolException("Cannot attach to AGB session " + sessionId + ": its status is "
                    + info.status(), null);
        }
        return new AgbSession(client, info, false, config, ws, keepAlive);
    }

    /** Releases an AGB session; true when the service confirmed (or not waited for). */
    boolean release(String sessionId, boolean awaitConfirmation) throws InterruptedException {
        if (!awaitConfirmation) {
            client.releaseSessionAsync(sessionId);
            return true;
        }
        return client.deleteSession(sessionId, config.releaseWait(), config.releasePollInterval());
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "CloudBackend{" + config + "}";
    }
}
