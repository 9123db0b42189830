package dev.agbscript.cloud;

import dev.agbscript.session.Backend;
import dev.agbscript.session.Sandbox;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The AGB cloud: every session is an AGB session of the configured image, created through the HTTP API,
 * running code over its WebSocket stream when it offers one and over HTTP otherwise.
 */
public final class CloudBackend implements Backend {
    private final CloudConfig config;
    private final OkHttpClient http;
    private final OkHttpClient ws;
    private final AgbClient client;

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

    /** The HTTP API, for what the session layer does not cover (listing sessions, keep-alive). */
    public AgbClient client() {
        return client;
    }

    @Override
    public Sandbox createSandbox() {
        return new CloudSandbox(this);
    }

    AgbSession newRemote() throws InterruptedException {
        return new AgbSession(client, client.createSession(), ws, config.retryBackoff());
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
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "CloudBackend{" + config + "}";
    }
}
