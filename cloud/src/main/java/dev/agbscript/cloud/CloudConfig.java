package dev.agbscript.cloud;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.agbscript.session.Settings;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * How to reach the AGB cloud and what sessions to create there. Every value is taken, in this order, from
 * the {@link Builder}, a Java system property, an environment variable (the official SDK's names), a
 * default:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>builder</th><th>system property</th><th>environment</th><th>default</th></tr>
 * <tr><td>apiKey</td><td>agb.apiKey</td><td>AGB_API_KEY</td><td>none (required)</td></tr>
 * <tr><td>endpoint</td><td>agb.endpoint</td><td>AGB_ENDPOINT</td><td>sdk-api.agb.cloud (https)</td></tr>
 * <tr><td>timeout</td><td>agb.timeoutMs</td><td>AGB_TIMEOUT_MS</td><td>60000 ms</td></tr>
 * <tr><td>imageId</td><td>agb.imageId</td><td>AGB_IMAGE_ID</td><td>agb-code-space-1</td></tr>
 * <tr><td>labels</td><td>agb.labels</td><td>AGB_LABELS</td><td>none; JSON object or k=v,k=v</td></tr>
 * <tr><td>idleTimeout</td><td>agb.idleTimeoutS</td><td>AGB_IDLE_TIMEOUT_S</td><td>the service's (5 min)</td></tr>
 * <tr><td>stream</td><td>agb.stream</td><td>AGB_STREAM</td><td>auto (on, off)</td></tr>
 * <tr><td>keepAlive</td><td>agb.keepAliveS</td><td>AGB_KEEP_ALIVE_S</td><td>half the idle timeout; 0 = off</td></tr>
 * <tr><td>releaseWait</td><td>agb.releaseWaitS</td><td>AGB_RELEASE_WAIT_S</td><td>300 s, as the SDK</td></tr>
 * <tr><td>workDir</td><td>agb.workDir</td><td>AGB_WORK_DIR</td><td>/workspace</td></tr>
 * <tr><td>sessionId</td><td>agb.sessionId</td><td>AGB_SESSION_ID</td><td>none: create sessions</td></tr>
 * <tr><td>releaseAttached</td><td>agb.releaseAttached</td><td>AGB_RELEASE_ATTACHED</td><td>false</td></tr>
 * </table>
 *
 * <p>{@code toString} never shows the API key.
 */
public final class CloudConfig {
    public static final String DEFAULT_HOST = "sdk-api.agb.cloud";
    public static final String DEFAULT_IMAGE_ID = "agb-code-space-1";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(60_000);
    /** The service's idle release when a session asks for none (agb-protocol.md §2, Lifecycle). */
    public static final Duration SERVICE_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** The SDK's bound on waiting for a deleted session to finish (session.py, delete). */
    public static final Duration DEFAULT_RELEASE_WAIT = Duration.ofSeconds(300);
    /**
     * The folder the files API resolves relative paths against. The SDK has no working folder (its file
     * tools take absolute paths); /workspace is the current directory of the code kernels of the vendor's
     * CodeSpace images as their documentation shows it (unconfirmed for AGB: set agb.workDir otherwise).
     */
    public static final String DEFAULT_WORK_DIR = "/workspace";

    /** Whether runs go over the session's WebSocket stream (the SDK's {@code stream_beta}). */
    public enum StreamMode {
        /** Stream when the session offers it; fall back to HTTP when the stream cannot be opened. */
        AUTO,
        /** Stream only: a stream that cannot be opened fails the run. */
        ON,
        /** Never stream, as the SDK by default: HTTP routes only. */
        OFF
    }

    private final ApiKey apiKey;
    private final HttpUrl endpoint;
    private final Duration timeout;
    private final String imageId;
    private final Map<String, String> labels;
    private final Duration idleTimeout;
    private final StreamMode stream;
    private final Duration keepAlive;
    private final String workDir;
    private final String sessionId;
    private final boolean releaseAttached;
    private final Duration runMargin;
    private final Duration heartbeat;
    private final Duration releaseWait;
    private final Duration releasePollInterval;
    private final Duration retryBackoff;

    private CloudConfig(Builder b) {
        this.apiKey = b.apiKey != null ? b.apiKey : ApiKey.ofNullable(Settings.get("agb.apiKey", "AGB_API_KEY"));
        this.endpoint = endpointUrl(b.endpoint != null ? b.endpoint : Settings.get("agb.endpoint", "AGB_ENDPOINT"));
        this.timeout = b.timeout != null ? b.timeout : millis(Settings.get("agb.timeoutMs", "AGB_TIMEOUT_MS"),
                "AGB_TIMEOUT_MS", DEFAULT_TIMEOUT);
        String image = b.imageId != null ? b.imageId : Settings.get("agb.imageId", "AGB_IMAGE_ID");
        this.imageId = image == null || image.isBlank() ? DEFAULT_IMAGE_ID : image.trim();
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(
                b.labels != null ? b.labels : parseLabels(Settings.get("agb.labels", "AGB_LABELS"))));
        this.idleTimeout = b.idleTimeout != null ? b.idleTimeout
                : seconds(Settings.get("agb.idleTimeoutS", "AGB_IDLE_TIMEOUT_S"), "AGB_IDLE_TIMEOUT_S");
        this.stream = b.stream != null ? b.stream : streamMode(Settings.get("agb.stream", "AGB_STREAM"));
        Duration keepAliveSetting = b.keepAlive != null ? b.keepAlive
                : seconds(Settings.get("agb.keepAliveS", "AGB_KEEP_ALIVE_S"), "AGB_KEEP_ALIVE_S");
        this.keepAlive = keepAliveSetting != null ? keepAliveSetting
                : (idleTimeout != null ? idleTimeout : SERVICE_IDLE_TIMEOUT).dividedBy(2);
        String dir = b.workDir != null ? b.workDir : Settings.get("agb.workDir", "AGB_WORK_DIR");
        this.workDir = absoluteDir(dir == null || dir.isBlank() ? DEFAULT_WORK_DIR : dir.trim());
        String attach = b.sessionId != null ? b.sessionId : Settings.get("agb.sessionId", "AGB_SESSION_ID");
        this.sessionId = attach == null || attach.isBlank() ? null : attach.trim();
        this.releaseAttached = b.releaseAttached != null ? b.releaseAttached
                : Boolean.parseBoolean(Settings.get("agb.releaseAttached", "AGB_RELEASE_ATTACHED"));
        this.runMargin = b.runMargin;
        this.heartbeat = b.heartbeat;
        Duration wait = b.releaseWait != null ? b.releaseWait
                : seconds(Settings.get("agb.releaseWaitS", "AGB_RELEASE_WAIT_S"), "AGB_RELEASE_WAIT_S");
        this.releaseWait = wait != null ? wait : DEFAULT_RELEASE_WAIT;
        this.releasePollInterval = b.releasePollInterval;
        this.retryBackoff = b.retryBackoff;
    }

    /** Everything from system properties, environment and defaults. */
    public static CloudConfig fromEnvironment() {
        return builder().build();
    }

    /** A builder whose unset values come from system properties, environment and defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** True when an API key is set by system property or environment: the cloud is then the default backend. */
    public static boolean keyConfigured() {
        return ApiKey.ofNullable(Settings.get("agb.apiKey", "AGB_API_KEY")) != null;
    }

    /** The key, or a {@link dev.agbscript.session.SessionException} with the SDK's message when none is set. */
    ApiKey requireApiKey() {
        if (apiKey == null) {
            throw new dev.agbscript.session.SessionException("API key is required. Provide it with "
                    + "CloudConfig.builder().apiKey(..), -Dagb.apiKey or the AGB_API_KEY environment variable");
        }
        return apiKey;
    }

    public boolean hasApiKey() { return apiKey != null; }
    /** The base URL: paths such as {@code /mcp/createSession} are appended to it. */
    public HttpUrl endpoint() { return endpoint; }
    /** Connect and read timeout of every call except code runs (those get the run's own limit). */
    public Duration timeout() { return timeout; }
    public String imageId() { return imageId; }
    public Map<String, String> labels() { return labels; }
    /** Idle time after which the service releases a session; null for the service's default. */
    public Duration idleTimeout() { return idleTimeout; }
    /** Whether runs stream over WebSocket: {@link StreamMode#AUTO} unless set. */
    public StreamMode stream() { return stream; }
    /**
     * How often an open session's idle timer is refreshed ({@code refreshSessionIdleTime}); zero when
     * keep-alive is off. Half the idle timeout unless set.
     */
    public Duration keepAlive() { return keepAlive; }
    /** The absolute folder in the AGB session that the files API's relative paths start from. */
    public String workDir() { return workDir; }
    /** An existing AGB session that sandboxes attach to instead of creating one; null to create. */
    public String sessionId() { return sessionId; }
    /** Whether closing releases an attached session too (by default only created ones are released). */
    public boolean releaseAttached() { return releaseAttached; }
    /** Extra time a run's answer may take beyond its {@code timeout_s}: network and queueing. */
    public Duration runMargin() { return runMargin; }
    /** WebSocket ping interval; a pong missing for that long drops the connection. */
    public Duration heartbeat() { return heartbeat; }
    /** How long closing a session waits for the service to confirm the release (the SDK's 300 s). */
    public Duration releaseWait() { return releaseWait; }
    public Duration releasePollInterval() { return releasePollInterval; }
    /** First delay between retries of safe calls and WebSocket reconnects; it grows by 1.5, up to 5 s. */
    public Duration retryBackoff() { return retryBackoff; }

    static HttpUrl endpointUrl(String configured) {
        String value = configured == null || configured.isBlank() ? DEFAULT_HOST : configured.trim();
        if (!value.contains("://")) {
            value = "https://" + value;
        }
        HttpUrl url = HttpUrl.parse(value);
        if (url == null) {
            throw new IllegalArgumentException("AGB_ENDPOINT is not a valid http(s) URL: " + configured);
        }
        return url;
    }

    static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonObject object = JsonParser.parseString(trimmed).getAsJsonObject();
                object.entrySet().forEach(e -> labels.put(e.getKey(),
                        e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
                return labels;
            } catch (JsonParseException | IllegalStateException e) {
                throw new IllegalArgumentException("AGB_LABELS is not a JSON object: " + e.getMessage());
            }
        }
        for (String pair : trimmed.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("AGB_LABELS must be a JSON object or key=value pairs: " + text);
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }

    private static Duration millis(String value, String name, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive number of milliseconds: " + value);
        }
    }

    private static Duration seconds(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds: " + value);
        }
    }

    static StreamMode streamMode(String value) {
        if (value == null || value.isBlank()) {
            return StreamMode.AUTO;
        }
        try {
            return StreamMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AGB_STREAM must be auto, on or off: " + value);
        }
    }

    private static String absoluteDir(String dir) {
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("AGB_WORK_DIR must be an absolute path: " + dir);
        }
        return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
    }

    @Override
    public String toString() {
        return "CloudConfig{apiKey=" + (apiKey == null ? "unset" : "***") + ", endpoint=" + endpoint
                + ", timeout=" + timeout.toMillis() + "ms, imageId=" + imageId
                + (labels.isEmpty() ? "" : ", labels=" + new Gson().toJson(labels))
                + (idleTimeout == null ? "" : ", idleTimeout=" + idleTimeout.toSeconds() + "s")
                + ", stream=" + stream.name().toLowerCase(java.util.Locale.ROOT)
                + ", keepAlive=" + keepAlive.toSeconds() + "s, workDir=" + workDir
                + (sessionId == null ? "" : ", sessionId=" + sessionId) + "}";
    }

    /** Sets values explicitly; what is left unset comes from system properties, environment and defaults. */
    public static final class Builder {
        private ApiKey apiKey;
        private String endpoint;
        private Duration timeout;
        private String imageId;
        private Map<String, String> labels;
        private Duration idleTimeout;
        private StreamMode stream;
        private Duration keepAlive;
        private String workDir;
        private String sessionId;
        private Boolean releaseAttached;
        private Duration runMargin = Duration.ofSeconds(30);
        private Duration heartbeat = Duration.ofSeconds(20);
        private Duration releaseWait;
        private Duration releasePollInterval = Duration.ofSeconds(1);
        private Duration retryBackoff = Duration.ofMillis(500);

        private Builder() {}

        public Builder apiKey(String key) { this.apiKey = ApiKey.of(key); return this; }
        /** A host ({@code https://} is added) or a URL such as {@code http://127.0.0.1:8080}. */
        public Builder endpoint(String endpoint) { this.endpoint = endpoint; return this; }
        public Builder timeout(Duration timeout) { this.timeout = positive(timeout, "timeout"); return this; }
        public Builder imageId(String imageId) { this.imageId = imageId; return this; }
        public Builder labels(Map<String, String> labels) { this.labels = Map.copyOf(labels); return this; }
        public Builder idleTimeout(Duration idle) { this.idleTimeout = positive(idle, "idleTimeout"); return this; }
        public Builder stream(StreamMode mode) { this.stream = Objects.requireNonNull(mode); return this; }
        /** The keep-alive interval; {@link Duration#ZERO} turns keep-alive off. */
        public Builder keepAlive(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("keepAlive must not be negative: " + interval);
            }
            this.keepAlive = interval;
            return this;
        }
        /** An absolute folder in the AGB session. */
        public Builder workDir(String dir) { this.workDir = absoluteDir(Objects.requireNonNull(dir)); return this; }
        /** Attach to this existing AGB session instead of creating one ({@code agb.get} of the SDK). */
        public Builder sessionId(String id) { this.sessionId = Objects.requireNonNull(id); return this; }
        public Builder releaseAttached(boolean release) { this.releaseAttached = release; return this; }
        public Builder runMargin(Duration margin) { this.runMargin = Objects.requireNonNull(margin); return this; }
        public Builder heartbeat(Duration interval) { this.heartbeat = positive(interval, "heartbeat"); return this; }
        public Builder releaseWait(Duration wait) { this.releaseWait = Objects.requireNonNull(wait); return this; }
        public Builder releasePollInterval(Duration interval) {
            this.releasePollInterval = positive(interval, "releasePollInterval");
            return this;
        }
        public Builder retryBackoff(Duration backoff) { this.retryBackoff = positive(backoff, "retryBackoff"); return this; }

        public CloudConfig build() {
            return new CloudConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
