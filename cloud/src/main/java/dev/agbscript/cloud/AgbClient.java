package dev.agbscript.cloud;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
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
 * release, keep-alive) and MCP tools ({@code run_code}, the file tools, {@code get_metrics}) by the API
 * route ({@code POST /mcp}) or the LinkUrl route ({@code POST <linkUrl>/callTool}), chosen per tool as the
 * SDK does.
 *
 * <p>Requests are the SDK's: {@code Content-Type: application/json} (no charset) on every call, the key as
 * {@code authorization: Bearer …}, no {@code server} or {@code imageId} on the API route. Calls that change
 * nothing, or whose repetition is harmless (status, get, list, keep-alive, release), are retried with
 * backoff on transport failures and 5xx/429; creating a session and tool calls never are, so code is never
 * run twice. Every method may be interrupted: the call is then cancelled.
 */
public final class AgbClient {
    private static final Logger LOG = Logger.getLogger(AgbClient.class.getName());
    /** Exactly the SDK's header: a byte body keeps OkHttp from adding {@code ; charset=utf-8}. */
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int SAFE_ATTEMPTS = 3;
    private static final int LIST_PAGE_SIZE = 100;
    /** As Python's json.dumps: {@code <}, {@code >}, {@code =} and {@code '} in code stay as they are. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

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
        Envelope envelope = once("createSession", post(url, body), false);
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
        Envelope envelope = safe("getSession", () -> post(url("/mcp/getSession"), sessionBody(sessionId)), false);
        JsonObject data = envelope.dataObject();
        if (data == null) {
            throw new AgbProtocolException("getSession returned no data", envelope.requestId());
        }
        SessionInfo info = SessionInfo.parse(data);
        return info.sessionId() == null ? info.withSessionId(sessionId) : info;
    }

    /**
     * {@code POST /mcp/getSessionInfo}: the status, e.g. {@code RUNNING}, {@code DELETING}, {@code FINISH};
     * empty when the answer has none. Polling it does not reset the session's idle timer.
     */
    public String sessionStatus(String sessionId) throws InterruptedException {
        Envelope envelope = safe("getSessionInfo",
                () -> post(url("/mcp/getSessionInfo"), sessionBody(sessionId)), false);
        JsonObject data = envelope.dataObject();
        String status = data == null ? null : Json.string(data, "status", "Status");
        return status == null ? "" : status;
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
            Envelope envelope = safe("ListSession", () -> authorized(pageUrl).get(), true);
            JsonElement data = Json.decode(envelope.data());
            if (data != null && data.isJsonArray()) {
                for (JsonElement item : data.getAsJsonArray()) {
                    JsonObject s = Json.object(item);
                    String id = Json.string(s, "sessionId", "SessionId");
                    if (id != null && !id.isEmpty()) {
                        all.add(new SessionSummary(id, Json.string(s, "sessionStatus", "SessionStatus", "status")));
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
        safe("releaseSessionAsync", () -> post(url("/mcp/releaseSessionAsync"), sessionBody(sessionId)), true);
    }

    /**
     * Releases the session and polls its status until {@code FINISH} or not found, for at most {@code wait},
     * as the SDK's {@code delete} does.
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
                if (SessionInfo.isEnded(status)) {
                    return true;
                }
            } catch (AgbApiException e) {
                if (e.isNotFoundWhilePolling()) {
                    return true;
                }
                LOG.fine(() -> "Polling released AGB session " + sessionId + ": " + e.getMessage());
            }
            if (System.nanoTime() + pollInterval.toNanos() > deadline) {
                return false;
            }
            Thread.sleep(pollInterval.toMillis()); // polling the service, as the SDK does
        }
    }

    /** {@code POST /mcp/refreshSessionIdleTime?sessionId=…}: resets the session's idle timer. */
    public void refreshIdleTime(String sessionId) throws InterruptedException {
        HttpUrl url = url("/mcp/refreshSessionIdleTime").newBuilder().addQueryParameter("sessionId", sessionId).build();
        safe("refreshSessionIdleTime", () -> post(url, new JsonObject()), true);
    }

    /** The {@code get_metrics} tool: CPU, memory, disk and network figures of the session. */
    public SessionMetrics metrics(SessionInfo session) throws InterruptedException {
        try {
            ToolText answer = callTool(session, "get_metrics", new JsonObject(), config.timeout());
            return SessionMetrics.parse(answer.text(), answer.requestId());
        } catch (TimeoutException e) {
            throw new AgbTransportException("get_metrics: no answer within " + config.timeout().toMillis() + " ms",
                    null, 0, e);
        }
    }

    /**
     * {@code run_code} by the route the session offers for it.
     *
     * @throws TimeoutException when no answer came within the run's limit plus the margin
     */
    ExecutionResult runCode(SessionInfo session, ExecutionRequest request, ExecutionListener listener)
            throws InterruptedException, TimeoutException {
        ToolText answer = callTool(session, "run_code", runArgs(request), runWait(request));
        return RunCodeParser.parse(answer.text(), answer.requestId(), listener);
    }

    /** A tool's answer text and the id of the request that got it. */
    record ToolText(String text, String requestId) {}

    /**
     * One MCP tool call, never retried. As the SDK routes it: the LinkUrl route when the session has a
     * linkUrl and token and its tool list names a server for this tool, else the API route.
     *
     * @throws TimeoutException when no answer came within {@code wait}
     */
    ToolText callTool(SessionInfo session, String tool, JsonObject args, Duration wait)
            throws InterruptedException, TimeoutException {
        return session.offersLinkRoute(tool) ? viaLink(session, tool, args, wait) : viaApi(session, tool, args, wait);
    }

    /** {@code POST /mcp?autoGenSession=false} with {@code {sessionId, name, args}}, args as a JSON string. */
    private ToolText viaApi(SessionInfo session, String tool, JsonObject args, Duration wait)
            throws InterruptedException, TimeoutException {
        HttpUrl url = url("/mcp").newBuilder().addQueryParameter("autoGenSession", "false").build();
        JsonObject body = new JsonObject();
        body.addProperty("sessionId", session.sessionId());
        body.addProperty("name", tool);
        body.addProperty("args", GSON.toJson(args));
        HttpCalls.Answer answer = callOnce(post(url, body).build(), tool, null, wait);
        Envelope envelope = envelope(tool, answer, true);
        if (!envelope.success()) {
            throw envelope.failure(tool);
        }
        return new ToolText(ToolAnswer.apiText(envelope.data(), tool, envelope.requestId(), envelope.message()),
                envelope.requestId());
    }

    /** {@code POST <linkUrl>/callTool} with {@code X-Access-Token}; the request id is made here, as the SDK's. */
    private ToolText viaLink(SessionInfo session, String tool, JsonObject args, Duration wait)
            throws InterruptedException, TimeoutException {
        String requestId = "link-" + System.currentTimeMillis() + "-"
                + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        JsonObject body = new JsonObject();
        body.add("args", args);
        body.addProperty("server", session.serverOf(tool));
        body.addProperty("requestId", requestId);
        body.addProperty("tool", tool);
        body.addProperty("token", session.token());
        String link = session.linkUrl().replaceAll("/+$", "");
        HttpUrl url = HttpUrl.parse(link + "/callTool");
        if (url == null) {
            throw new AgbProtocolException("The session's linkUrl is not a URL: " + session.linkUrl(), requestId);
        }
        Request call = new Request.Builder().url(url)
                .header("Content-Type", "application/json")
                .header("X-Access-Token", session.token())
                .post(jsonBody(body))
                .build();
        HttpCalls.Answer answer = callOnce(call, tool + " via LinkUrl", requestId, wait);
        if (answer.status() < 200 || answer.status() >= 300) {
            throw new AgbTransportException(tool + " via LinkUrl: HTTP request failed with code: " + answer.status(),
                    requestId, answer.status(), null, true);
        }
        JsonObject response = Json.object(Json.parse(answer.body()));
        JsonElement dataElement = response == null ? null : response.get("data");
        if (dataElement == null || dataElement.isJsonNull()) {
            throw new AgbProtocolException(tool + " via LinkUrl: No data field in LinkUrl response", requestId);
        }
        JsonElement data = dataElement.isJsonPrimitive() && dataElement.getAsJsonPrimitive().isString()
                ? Json.parse(dataElement.getAsString()) : dataElement;
        if (data == null || !data.isJsonObject()) {
            throw new AgbProtocolException(tool + " via LinkUrl: Invalid data field type in LinkUrl response",
                    requestId);
        }
        JsonElement result = data.getAsJsonObject().get("result");
        if (result != null && !result.isJsonObject()) {
            throw new AgbProtocolException(tool + " via LinkUrl: No result field in LinkUrl response data", requestId);
        }
        return new ToolText(ToolAnswer.linkText(result == null ? new JsonObject() : result.getAsJsonObject(), tool,
                requestId), requestId);
    }

    /** Run arguments of both HTTP routes: {@code {code, language, timeout_s}}. */
    static JsonObject runArgs(ExecutionRequest request) {
        JsonObject args = new JsonObject();
        args.addProperty("code", request.code());
        args.addProperty("language", request.language().id());
        args.addProperty("timeout_s", timeoutSeconds(request.timeout()));
        return args;
    }

    /**
     * The wire's whole seconds, rounded up: the service must allow at least what was asked. No limit (and any
     * limit beyond it) is sent as the largest 32-bit number, which the service then caps at its own limit.
     */
    static long timeoutSeconds(Duration timeout) {
        long seconds = timeout.toSeconds();
        long rounded = timeout.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
        return Math.min(rounded, Integer.MAX_VALUE);
    }

    /** How long a run's answer may take: its {@code timeout_s} plus the margin; the read timeout matches it. */
    Duration runWait(ExecutionRequest request) {
        return Duration.ofSeconds(timeoutSeconds(request.timeout())).plus(config.runMargin());
    }

    /** A tool call: one attempt, not even OkHttp's own retry on a stale connection, so code never runs twice. */
    private HttpCalls.Answer callOnce(Request call, String operation, String requestId, Duration wait)
            throws InterruptedException, TimeoutException {
        OkHttpClient once = http.newBuilder()
                .readTimeout(wait.plusSeconds(1))
                .retryOnConnectionFailure(false)
                .build();
        try {
            return HttpCalls.await(once.newCall(call), wait);
        } catch (java.net.SocketTimeoutException e) {
            throw new TimeoutException("no answer within " + wait.toSeconds() + " s");
        } catch (IOException e) {
            throw new AgbTransportException(operation + " failed: " + e, requestId, 0, e, neverConnected(e));
        }
    }

    /** The connection was never made, so the request never left: nothing can have run. */
    private static boolean neverConnected(IOException e) {
        return e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException;
    }

    private interface RequestMaker {
        Request.Builder make();
    }

    /** A call that may be repeated: retried on transient transport failures, with growing backoff. */
    private Envelope safe(String operation, RequestMaker request, boolean only200) throws InterruptedException {
        Backoff backoff = new Backoff(config.retryBackoff());
        for (int attempt = 1; ; attempt++) {
            try {
                return once(operation, request.make(), only200);
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

    private Envelope once(String operation, Request.Builder request, boolean only200) throws InterruptedException {
        HttpCalls.Answer answer;
        try {
            answer = HttpCalls.await(http.newCall(request.build()), config.timeout().multipliedBy(2));
        } catch (TimeoutException e) {
            throw new AgbTransportException(operation + " failed: no answer within " + config.timeout().toMillis()
                    + " ms", null, 0, e);
        } catch (IOException e) {
            throw new AgbTransportException(operation + " failed: " + e, null, 0, e);
        }
        Envelope envelope = envelope(operation, answer, only200);
        if (!envelope.success()) {
            throw envelope.failure(operation);
        }
        return envelope;
    }

    private static Envelope envelope(String operation, HttpCalls.Answer answer, boolean only200) {
        JsonObject body = Json.object(Json.parse(answer.body()));
        if (body == null || !Envelope.looksLike(body)) {
            String detail = answer.status() >= 400 ? "HTTP " + answer.status() + " error"
                    : "the answer is not an AGB response (HTTP " + answer.status() + ")";
            throw new AgbTransportException(operation + " failed: " + detail, answer.requestIdHeader(),
                    answer.status() >= 400 ? answer.status() : 0, null);
        }
        return Envelope.parse(body, answer.status(), answer.requestIdHeader(), only200);
    }

    private Request.Builder post(HttpUrl url, JsonObject body) {
        return authorized(url).post(jsonBody(body));
    }

    /** Every API call carries the key and, as the SDK's session headers, the JSON content type (GET too). */
    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("authorization", config.requireApiKey().bearer())
                .header("Content-Type", "application/json");
    }

    private static RequestBody jsonBody(JsonObject body) {
        return RequestBody.create(GSON.toJson(body).getBytes(StandardCharsets.UTF_8), JSON);
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
