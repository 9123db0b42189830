package dev.agbscript.cloud;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The AGB HTTP API (agb-protocol.md §2–3) on OkHttp and Gson: sessions (create, get, status, list,
 * release, keep-alive) and the {@code run_code} tool by the API route ({@code POST /mcp}) and the LinkUrl
 * route ({@code POST <linkUrl>/callTool}).
 *
 * <p>Calls that change nothing, or whose repetition is harmless (status, get, list, keep-alive, release),
 * are retried with backoff on transport failures and 5xx/429; creating a session and running code never
 * are, so code is never run twice. Every method may be interrupted: the call is then cancelled.
 */
public final class AgbClient {
    private static final Logger LOG = Logger.getLogger(AgbClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int SAFE_ATTEMPTS = 3;
    private static final int LIST_PAGE_SIZE = 100;
    private static final Gson GSON = new Gson();

    private final CloudConfig config;
    private final OkHttpClient http;
    private final HttpUrl base;

    /** @param http a client whose connect and read timeouts are the configured timeout */
    AgbClient(CloudConfig config, OkHttpClient http) {
        this.config = config;
        this.http = http;
        this.base = config.endpoint();
    }

    /** {@code POST /mcp/createSession}: a new session of the configured image, labels and idle timeout. */
    public SessionInfo createSession() throws InterruptedException {
        HttpUrl url = url("/mcp/createSession").newBuilder()
                .addQueryParameter("imageId", config.imageId())
                .addQueryParameter("sdkStats", sdkStats())
                .build();
        JsonObject body = new JsonObject();
        if (!config.labels().isEmpty()) {
            body.addProperty("labels", GSON.toJson(config.labels()));
        }
        if (config.idleTimeout() != null) {
            body.addProperty("timeout", config.idleTimeout().toSeconds());
        }
        Envelope envelope = once("createSession", post(url, body));
        JsonObject data = envelope.dataObject();
        if (data != null && Boolean.FALSE.equals(Json.bool(data, "success"))) {
            throw new AgbApiException("createSession", envelope.code(),
                    String.valueOf(Json.string(data, "errMsg")), envelope.httpStatus(), envelope.requestId());
        }
        SessionInfo info = data == null ? null : SessionInfo.parse(data);
        if (info == null || info.sessionId() == null || info.sessionId().isEmpty()) {
            String why = data != null && Json.string(data, "errMsg") != null ? Json.string(data, "errMsg")
                    : "the answer carries no sessionId";
            throw new AgbProtocolException("createSession failed: " + why, envelope.requestId());
        }
        return info;
    }

    /** {@code POST /mcp/getSession}: the session's routes, or {@link AgbApiException} when it is gone. */
    public SessionInfo getSession(String sessionId) throws InterruptedException {
        Envelope envelope = safe("getSession", () -> post(url("/mcp/getSession"), sessionBody(sessionId)));
        JsonObject data = envelope.dataObject();
        if (data == null) {
            throw new AgbProtocolException("getSession returned no data", envelope.requestId());
        }
        return SessionInfo.parse(data);
    }

    /** {@code POST /mcp/getSessionInfo}: the status, e.g. {@code RUNNING}, {@code DELETING}, {@code FINISH}. */
    public String sessionStatus(String sessionId) throws InterruptedException {
        Envelope envelope = safe("getSessionInfo", () -> post(url("/mcp/getSessionInfo"), sessionBody(sessionId)));
        JsonObject data = envelope.dataObject();
        return data == null ? "" : String.valueOf(Json.string(data, "status", "Status"));
    }

    /** {@code GET /sdk/ListSession}, every page (walking {@code nextToken}); labels filter, may be empty. */
    public List<SessionSummary> listSessions(Map<String, String> labels) throws InterruptedException {
        List<SessionSummary> all = new ArrayList<>();
        String token = null;
        do {
            HttpUrl.Builder url = url("/sdk/ListSession").newBuilder()
                    .addQueryParameter("maxResults", String.valueOf(LIST_PAGE_SIZE))
                    .addQueryParameter("labels", GSON.toJson(labels));
            if (token != null) {
                url.addQueryParameter("nextToken", token);
            }
            HttpUrl pageUrl = url.build();
            Envelope envelope = safe("ListSession", () -> authorized(pageUrl).get());
            JsonElement data = Json.decode(envelope.data());
            if (data != null && data.isJsonArray()) {
                for (JsonElement item : data.getAsJsonArray()) {
                    JsonObject s = Json.object(item);
                    if (s != null) {
                        all.add(new SessionSummary(Json.string(s, "sessionId", "SessionId"),
                                Json.string(s, "sessionStatus", "SessionStatus", "status")));
                    }
                }
            }
            String next = Json.string(envelope.raw(), "nextToken", "NextToken");
            token = next == null || next.isEmpty() || next.equals(token) ? null : next;
        } while (token != null);
        return all;
    }

    /** {@code POST /mcp/releaseSessionAsync}: asks the service to release; it happens in the background. */
    public void releaseSessionAsync(String sessionId) throws InterruptedException {
        safe("releaseSessionAsync", () -> post(url("/mcp/releaseSessionAsync"), sessionBody(sessionId)));
    }

    /**
     * Releases the session and polls its status until {@code FINISH} (or gone), for at most {@code wait}.
     *
     * @return true when the service confirmed the release in time
     */
    public boolean deleteSession(String sessionId, Duration wait, Duration pollInterval) throws InterruptedException {
        try {
            releaseSessionAsync(sessionId);
        } catch (AgbApiException e) {
            if (e.isSessionNotFound()) {
                return true;
            }
            throw e;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                String status = sessionStatus(sessionId);
                if (status.equals("FINISH") || status.equals("DELETED")) {
                    return true;
                }
            } catch (AgbApiException e) {
                if (e.isSessionNotFound()) {
                    return true;
                }
                throw e;
            }
            if (System.nanoTime() + pollInterval.toNanos() > deadline) {
                return false;
            }
            Thread.sleep(pollInterval.toMillis()); // polling the service, as the SDK does
        }
    }

    /** {@code POST /mcp/refreshSessionIdleTime}: resets the session's idle timer. */
    public void refreshIdleTime(String sessionId) throws InterruptedException {
        HttpUrl url = url("/mcp/refreshSessionIdleTime").newBuilder().addQueryParameter("sessionId", sessionId).build();
        safe("refreshSessionIdleTime", () -> post(url, new JsonObject()));
    }

    /**
     * {@code run_code} by the API route, {@code POST /mcp?autoGenSession=false}, args as a JSON string.
     *
     * @throws TimeoutException when no answer came within the run's limit plus the margin
     */
    ExecutionResult runCode(SessionInfo session, ExecutionRequest request)
            throws InterruptedException, TimeoutException {
        HttpUrl url = url("/mcp").newBuilder()
                .addQueryParameter("autoGenSession", "false")
                .addQueryParameter("imageId", config.imageId())
                .build();
        JsonObject body = new JsonObject();
        body.addProperty("sessionId", session.sessionId());
        body.addProperty("name", "run_code");
        body.addProperty("args", GSON.toJson(runArgs(request)));
        body.addProperty("server", session.codeServer());
        HttpCalls.Answer answer = run(post(url, body).build(), request);
        Envelope envelope = envelope("run_code", answer);
        if (!envelope.success()) {
            throw envelope.failure("run_code");
        }
        return RunCodeParser.parse(ToolAnswer.text(envelope.data(), "run_code", envelope.requestId()),
                envelope.requestId());
    }

    /** {@code run_code} by the LinkUrl route: {@code POST <linkUrl>/callTool} with {@code X-Access-Token}. */
    ExecutionResult runCodeViaLink(SessionInfo session, ExecutionRequest request)
            throws InterruptedException, TimeoutException {
        String requestId = "link-" + System.currentTimeMillis() + "-"
                + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        JsonObject body = new JsonObject();
        body.add("args", runArgs(request));
        body.addProperty("server", session.codeServer());
        body.addProperty("requestId", requestId);
        body.addProperty("tool", "run_code");
        body.addProperty("token", session.token());
        String link = session.linkUrl().endsWith("/") ? session.linkUrl() : session.linkUrl() + "/";
        HttpUrl url = HttpUrl.parse(link + "callTool");
        if (url == null) {
            throw new AgbProtocolException("The session's linkUrl is not a URL: " + session.linkUrl(), requestId);
        }
        Request call = new Request.Builder().url(url)
                .header("Content-Type", "application/json")
                .header("X-Access-Token", session.token())
                .post(RequestBody.create(GSON.toJson(body), JSON))
                .build();
        HttpCalls.Answer answer = run(call, request);
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new AgbTransportException("run_code via LinkUrl: HTTP request failed with code: " + answer.status(),
                    requestId, answer.status(), null);
        }
        JsonObject response = Json.object(Json.parse(answer.body()));
        JsonObject data = response == null ? null : Json.object(response.get("data"));
        JsonObject result = data == null ? null : Json.object(data.get("result"));
        if (result == null) {
            throw new AgbProtocolException("run_code via LinkUrl: the answer has no data.result", requestId);
        }
        return RunCodeParser.parse(ToolAnswer.text(result, "run_code", requestId), requestId);
    }

    /** Run arguments of both HTTP routes: {@code {code, language, timeout_s}}. */
    static JsonObject runArgs(ExecutionRequest request) {
        JsonObject args = new JsonObject();
        args.addProperty("code", request.code());
        args.addProperty("language", request.language().id());
        args.addProperty("timeout_s", timeoutSeconds(request.timeout()));
        return args;
    }

    /** The wire's whole seconds, rounded up: the service must allow at least what was asked. */
    static long timeoutSeconds(Duration timeout) {
        long seconds = timeout.toSeconds();
        return timeout.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }

    /** How long a run's answer may take: its {@code timeout_s} plus the margin; the read timeout matches it. */
    Duration runWait(ExecutionRequest request) {
        return Duration.ofSeconds(timeoutSeconds(request.timeout())).plus(config.runMargin());
    }

    private HttpCalls.Answer run(Request call, ExecutionRequest request)
            throws InterruptedException, TimeoutException {
        Duration wait = runWait(request);
        // Never retried, not even by OkHttp on a stale connection: code must not run twice.
        OkHttpClient runClient = http.newBuilder()
                .readTimeout(wait.plusSeconds(1))
                .retryOnConnectionFailure(false)
                .build();
        try {
            return HttpCalls.await(runClient.newCall(call), wait);
        } catch (java.net.SocketTimeoutException e) {
            throw new TimeoutException("no answer within " + wait.toSeconds() + " s");
        } catch (IOException e) {
            throw new AgbTransportException("run_code failed: " + e, null, 0, e);
        }
    }

    private interface RequestMaker {
        Request.Builder make();
    }

    /** A call that may be repeated: retried on transient transport failures, with growing backoff. */
    private Envelope safe(String operation, RequestMaker request) throws InterruptedException {
        Backoff backoff = new Backoff(config.retryBackoff());
        for (int attempt = 1; ; attempt++) {
            try {
                return once(operation, request.make());
            } catch (AgbTransportException e) {
                if (attempt >= SAFE_ATTEMPTS || !e.isTransient()) {
                    throw e;
                }
                Duration delay = backoff.next();
                LOG.fine(() -> operation + " failed (" + e.getMessage() + "); retrying in " + delay.toMillis() + " ms");
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private Envelope once(String operation, Request.Builder request) throws InterruptedException {
        HttpCalls.Answer answer;
        try {
            answer = HttpCalls.await(http.newCall(request.build()), config.timeout().multipliedBy(2));
        } catch (TimeoutException e) {
            throw new AgbTransportException(operation + " failed: no answer within " + config.timeout().toMillis()
                    + " ms", null, 0, e);
        } catch (IOException e) {
            throw new AgbTransportException(operation + " failed: " + e, null, 0, e);
        }
        Envelope envelope = envelope(operation, answer);
        if (!envelope.success()) {
            throw envelope.failure(operation);
        }
        return envelope;
    }

    private static Envelope envelope(String operation, HttpCalls.Answer answer) {
        JsonObject body = Json.object(Json.parse(answer.body()));
        if (body == null || !Envelope.looksLike(body)) {
            String detail = answer.status() >= 400 ? "HTTP " + answer.status() + " error"
                    : "the answer is not an AGB response (HTTP " + answer.status() + ")";
            throw new AgbTransportException(operation + " failed: " + detail, answer.requestIdHeader(),
                    answer.status() >= 400 ? answer.status() : 0, null);
        }
        return Envelope.parse(body, answer.status(), answer.requestIdHeader());
    }

    private Request.Builder post(HttpUrl url, JsonObject body) {
        return authorized(url).header("Content-Type", "application/json")
                .post(RequestBody.create(GSON.toJson(body), JSON));
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url).header("authorization", config.requireApiKey().bearer());
    }

    private HttpUrl url(String path) {
        HttpUrl.Builder b = base.newBuilder();
        for (String segment : path.substring(1).split("/")) {
            b.addPathSegment(segment);
        }
        return b.build();
    }

    private static JsonObject sessionBody(String sessionId) {
        JsonObject body = new JsonObject();
        body.addProperty("sessionId", sessionId);
        return body;
    }

    private static String sdkStats() {
        JsonObject stats = new JsonObject();
        stats.addProperty("source", "sdk");
        stats.addProperty("sdk_language", "java");
        stats.addProperty("sdk_version", "agb-script");
        stats.addProperty("is_release", false);
        return GSON.toJson(stats);
    }

    /** One entry of {@link #listSessions}. */
    public record SessionSummary(String sessionId, String status) {}
}
