package dev.agbscript.cloud;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A loopback stand-in for the AGB service, speaking the wire protocol of agb-protocol.md: sessions that
 * exist until released or expired, {@code run_code} by the API route, the LinkUrl route and the WebSocket
 * stream. What a run answers is up to the test ({@link #onRun}); the prelude is answered like a kernel.
 */
final class FakeAgbService extends Dispatcher implements AutoCloseable {
    static final String KEY = "sk-test-secret-123";
    static final String TOKEN = "tok-abc";
    private static final Gson GSON = new Gson();

    /** Which routes new sessions offer. */
    enum Routes { API, LINK, STREAM }

    final MockWebServer server = new MockWebServer();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final List<JsonObject> runs = new CopyOnWriteArrayList<>();
    /** Tool calls other than run_code, as {@code name} → args, in order. */
    final List<Map.Entry<String, JsonObject>> toolCalls = new CopyOnWriteArrayList<>();
    /** The session file system: absolute path → content; folders in {@link #folders}. */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final java.util.Set<String> folders = ConcurrentHashMap.newKeySet();
    final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** Every session this service created, in order. */
    final List<String> created = new CopyOnWriteArrayList<>();
    final AtomicInteger wsUpgrades = new AtomicInteger();
    final Map<String, WebSocket> sockets = new ConcurrentHashMap<>();
    /** A permit per stream connection whose closing handshake completed. */
    final java.util.concurrent.Semaphore closedStreams = new java.util.concurrent.Semaphore(0);
    private final AtomicInteger ids = new AtomicInteger();
    volatile Routes routes = Routes.API;
    /** Code → tool text (the JSON text of a run_code answer). The default echoes nothing. */
    volatile Function<JsonObject, String> onRun = args -> newFormat(List.of(), List.of(), List.of(), null);
    /** Streamed runs: sends the frames for one client frame; the default replays {@link #onRun} as events. */
    volatile StreamScript onStream = this::replayAsStream;
    volatile boolean failPrelude;
    /** When set, streaming sessions point their wsUrl there instead of at this server. */
    volatile String wsUrlOverride;
    /** When positive, every WebSocket upgrade is answered with this HTTP status (a proxy, a refusal). */
    volatile int upgradeStatus;
    /** When set, answers createSession instead of the service (a whole HTTP response, e.g. a fixture). */
    volatile java.util.function.Supplier<MockResponse> onCreate;
    /** When set, answers the API route's run_code calls with this whole HTTP body (e.g. a fixture); null: as usual. */
    volatile java.util.function.Supplier<String> onApiRunBody;
    /** When set, answers the LinkUrl route's calls with this whole HTTP body (e.g. a fixture). */
    volatile java.util.function.Supplier<String> onLinkBody;

    interface StreamScript {
        void run(WebSocket socket, String invocationId, JsonObject params) throws Exception;
    }

    FakeAgbService() throws IOException {
        server.setDispatcher(this);
        server.start();
        folders.add("/");
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    CloudConfig.Builder config() {
        return CloudConfig.builder().apiKey(KEY).endpoint(endpoint())
                .runMargin(java.time.Duration.ofMillis(300))
                .releasePollInterval(java.time.Duration.ofMillis(10))
                .releaseWait(java.time.Duration.ofSeconds(2))
                .retryBackoff(java.time.Duration.ofMillis(10));
    }

    /** The refresh calls for one session, in order. */
    List<RecordedRequest> refreshes(String sessionId) {
        return requests("/mcp/refreshSessionIdleTime").stream()
                .filter(r -> sessionId.equals(r.getRequestUrl().queryParameter("sessionId"))).toList();
    }

    List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.getRequestUrl().encodedPath().equals(path)).toList();
    }

    /** Runs of user code, the preludes left out. */
    List<JsonObject> userRuns() {
        return runs.stream().filter(a -> !isPrelude(a)).toList();
    }

    /** The service forgets the session and closes its stream, as an idle release does. */
    void expire(String sessionId) {
        sessions.remove(sessionId);
        WebSocket socket = sockets.remove(sessionId);
        if (socket != null) {
            socket.close(1001, "session released");
        }
    }

    /** The sessions still running: after a client closed everything, none should be (no leak). */
    List<String> leaked() {
        return created.stream().filter(this::alive).toList();
    }

    /** Waits, polling, until the condition holds; fails after 10 s. Polling is the wait, never the proof. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        requests.add(request);
        HttpUrl url = request.getRequestUrl();
        JsonObject body = request.getBodySize() > 0 ? JsonParser.parseString(request.getBody().clone().readUtf8()).getAsJsonObject()
                : new JsonObject();
        if (!url.encodedPath().startsWith("/link/") && !url.encodedPath().equals("/ws")
                && !("Bearer " + KEY).equals(request.getHeader("authorization"))) {
            return json(401, "{\"success\":false,\"code\":\"InvalidApiKey\",\"message\":\"bad key\"}");
        }
        return switch (url.encodedPath()) {
            case "/mcp/createSession" -> onCreate != null ? onCreate.get() : create();
            case "/mcp/getSession" -> sessions.containsKey(str(body, "sessionId"))
                    ? ok(sessionData(str(body, "sessionId"))) : notFound();
            case "/mcp/getSessionInfo" -> sessionInfo(str(body, "sessionId"));
            case "/mcp/releaseSessionAsync" -> release(str(body, "sessionId"));
            case "/mcp/refreshSessionIdleTime" -> alive(url.queryParameter("sessionId"))
                    ? ok(new JsonObject()) : notFound();
            case "/mcp" -> callTool(body);
            case "/ws" -> webSocket(request);
            default -> url.encodedPath().startsWith("/link/") && url.encodedPath().endsWith("/callTool")
                    ? linkCallTool(request, url.pathSegments().get(1), body) : json(404, "not found");
        };
    }

    private MockResponse create() {
        String id = "s-" + ids.incrementAndGet();
        sessions.put(id, "RUNNING");
        created.add(id);
        JsonObject data = sessionData(id);
        data.addProperty("success", true);
        return ok(data);
    }

    /** Tools the LinkUrl sessions name a server for. */
    static final List<String> LINK_TOOLS = List.of("run_code", "write_file", "read_file", "get_file_info",
            "list_directory", "create_directory", "get_metrics");

    JsonObject sessionData(String id) {
        JsonObject data = new JsonObject();
        data.addProperty("sessionId", id);
        data.addProperty("resourceUrl", "https://resource/" + id);
        data.addProperty("status", sessions.getOrDefault(id, "RUNNING"));
        if (routes == Routes.LINK) {
            data.addProperty("linkUrl", endpoint() + "/link/" + id);
            data.addProperty("token", TOKEN);
            JsonArray tools = new JsonArray();
            for (String tool : LINK_TOOLS) {
                JsonObject t = new JsonObject();
                t.addProperty("name", tool);
                t.addProperty("server", "wuying_codespace");
                tools.add(t);
            }
            data.addProperty("toolList", GSON.toJson(tools));
        }
        if (routes == Routes.STREAM) {
            data.addProperty("wsUrl", wsUrlOverride != null ? wsUrlOverride
                    : "ws://127.0.0.1:" + server.getPort() + "/ws?session=" + id);
            data.addProperty("token", TOKEN);
            data.addProperty("toolList", "[{\"name\":\"run_code\",\"server\":\"codespace_srv\"}]");
        }
        return data;
    }

    private MockResponse sessionInfo(String id) {
        String status = sessions.get(id);
        if (status == null) {
            return notFound();
        }
        if (status.equals("DELETING")) {
            sessions.remove(id); // gone after one more poll
            JsonObject data = new JsonObject();
            data.addProperty("status", "DELETING");
            return ok(data);
        }
        JsonObject data = new JsonObject();
        data.addProperty("status", status);
        return ok(data);
    }

    private MockResponse release(String id) {
        if (!sessions.containsKey(id)) {
            return notFound();
        }
        sessions.put(id, "DELETING");
        // The release answer capitalizes its envelope under "body", as the service may.
        return json(200, "{\"body\":{\"Success\":true,\"Code\":\"ok\",\"RequestId\":\"req-rel\"}}");
    }

    /** A session that runs code: known and RUNNING (not FINISH, DELETING, …). */
    boolean alive(String id) {
        return "RUNNING".equals(sessions.get(id));
    }

    private MockResponse callTool(JsonObject body) {
        if (!alive(str(body, "sessionId"))) {
            return notFound();
        }
        JsonObject args = JsonParser.parseString(str(body, "args")).getAsJsonObject();
        String fixed = str(body, "name").equals("run_code") && onApiRunBody != null ? onApiRunBody.get() : null;
        if (fixed != null) {
            runs.add(args);
            return json(200, fixed);
        }
        ToolResult answer = tool(str(body, "name"), args);
        JsonObject data = new JsonObject();
        JsonArray content = new JsonArray();
        JsonObject item = new JsonObject();
        item.addProperty("type", "text");
        item.addProperty("text", answer.text());
        content.add(item);
        data.add("content", content);
        data.addProperty("isError", answer.isError());
        return ok(data);
    }

    /** What a tool answers: its text, and whether the tool failed. */
    record ToolResult(String text, boolean isError) {}

    private ToolResult tool(String name, JsonObject args) {
        if (name.equals("run_code")) {
            return new ToolResult(answer(args), false);
        }
        toolCalls.add(Map.entry(name, args));
        String path = str(args, "path");
        String parent = path.contains("/") ? path.substring(0, Math.max(1, path.lastIndexOf('/'))) : "/";
        switch (name) {
            case "create_directory" -> {
                for (String p = path; !p.isEmpty() && !p.equals("/"); p = p.substring(0, Math.max(1, p.lastIndexOf('/')))) {
                    folders.add(p);
                    if (p.lastIndexOf('/') == 0) {
                        break;
                    }
                }
                return new ToolResult("Successfully created directory " + path, false);
            }
            case "write_file" -> {
                if (!folders.contains(parent)) {
                    return new ToolResult("Error: ENOENT: no such file or directory, open '" + path + "'", true);
                }
                byte[] chunk = str(args, "content").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] before = str(args, "mode").equals("append") ? files.getOrDefault(path, new byte[0]) : new byte[0];
                byte[] all = java.util.Arrays.copyOf(before, before.length + chunk.length);
                System.arraycopy(chunk, 0, all, before.length, chunk.length);
                files.put(path, all);
                return new ToolResult("Successfully wrote to " + path, false);
            }
            case "get_file_info" -> {
                boolean folder = folders.contains(path);
                if (!folder && !files.containsKey(path)) {
                    return new ToolResult("Error: ENOENT: no such file or directory, stat '" + path + "'", true);
                }
                return new ToolResult("size: " + (folder ? 4096 : files.get(path).length)
                        + "\ncreated: Mon Jan 01 2024\nmodified: Mon Jan 01 2024\nisDirectory: " + folder
                        + "\nisFile: " + !folder + "\npermissions: 644", false);
            }
            case "read_file" -> {
                byte[] content = files.get(path);
                if (content == null) {
                    return new ToolResult("Error: ENOENT: no such file or directory, open '" + path + "'", true);
                }
                int offset = args.get("offset").getAsInt();
                int length = args.get("length").getAsInt();
                byte[] slice = java.util.Arrays.copyOfRange(content, offset, Math.min(content.length, offset + length));
                return new ToolResult(java.util.Base64.getEncoder().encodeToString(slice), false);
            }
            case "list_directory" -> {
                if (!folders.contains(path)) {
                    return new ToolResult("Error: ENOENT: no such file or directory, scandir '" + path + "'", true);
                }
                String prefix = path.equals("/") ? "/" : path + "/";
                StringBuilder listing = new StringBuilder();
                folders.stream().filter(f -> f.startsWith(prefix) && f.length() > prefix.length()
                        && f.indexOf('/', prefix.length()) < 0).sorted()
                        .forEach(f -> listing.append("[DIR] ").append(f.substring(prefix.length())).append('\n'));
                files.keySet().stream().filter(f -> f.startsWith(prefix) && f.indexOf('/', prefix.length()) < 0).sorted()
                        .forEach(f -> listing.append("[FILE] ").append(f.substring(prefix.length())).append('\n'));
                return new ToolResult(listing.toString(), false);
            }
            case "get_metrics" -> {
                return new ToolResult("{\"cpu_count\": 2, \"cpu_used_pct\": 12.5, \"mem_total\": 4096, \"mem_used\": 1024,"
                        + " \"disk_total\": 100, \"disk_used\": 10, \"rx_rate_kbps\": 1.5, \"tx_rate_KBps\": 2.5,"
                        + " \"rx_used_kb\": 30, \"tx_used_kbyte\": 40, \"timestamp\": \"2026-01-01T00:00:00Z\"}", false);
            }
            default -> {
                return new ToolResult("unknown tool " + name, true);
            }
        }
    }

    private MockResponse linkCallTool(RecordedRequest request, String session, JsonObject body) {
        if (!TOKEN.equals(request.getHeader("X-Access-Token"))) {
            return json(403, "forbidden");
        }
        if (!alive(session)) {
            return json(404, "{\"message\":\"no such session\"}"); // the link of a released session
        }
        if (onLinkBody != null) {
            if (str(body, "tool").equals("run_code")) {
                runs.add(body.getAsJsonObject("args"));
            }
            return json(200, onLinkBody.get());
        }
        ToolResult answer = tool(str(body, "tool"), body.getAsJsonObject("args"));
        JsonObject result = new JsonObject();
        JsonArray content = new JsonArray();
        JsonObject item = new JsonObject();
        item.addProperty("text", answer.text());
        content.add(item);
        result.add("content", content);
        result.addProperty("isError", answer.isError());
        JsonObject data = new JsonObject();
        data.add("result", result);
        JsonObject response = new JsonObject();
        response.addProperty("data", GSON.toJson(data)); // data as a JSON string, as the route allows
        return json(200, GSON.toJson(response));
    }

    private String answer(JsonObject args) {
        runs.add(args);
        if (isPrelude(args)) {
            return failPrelude ? newFormat(List.of(), List.of(), List.of(), "ModuleNotFoundError: No module named 'IPython'")
                    : newFormat(List.of(), List.of(), List.of(), null);
        }
        return onRun.apply(args);
    }

    static boolean isPrelude(JsonObject args) {
        return str(args, "code").contains("_agb_install");
    }

    private MockResponse webSocket(RecordedRequest request) {
        wsUpgrades.incrementAndGet();
        if (upgradeStatus > 0) {
            return new MockResponse().setResponseCode(upgradeStatus);
        }
        if (!TOKEN.equals(request.getHeader("X-Access-Token"))) {
            return new MockResponse().setResponseCode(403);
        }
        String session = request.getRequestUrl().queryParameter("session");
        if (!alive(session)) {
            return new MockResponse().setResponseCode(404);
        }
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onMessage(WebSocket socket, String text) {
                JsonObject frame = JsonParser.parseString(text).getAsJsonObject();
                String id = str(frame, "invocationId");
                JsonObject params = frame.getAsJsonObject("data").getAsJsonObject("params");
                JsonObject args = new JsonObject();
                args.addProperty("code", str(params, "code"));
                args.addProperty("language", str(params, "language"));
                args.add("timeoutS", params.get("timeoutS"));
                args.add("frame", frame);
                // Off the server's reader thread, so that a script may wait for the client.
                Thread worker = new Thread(() -> {
                    try {
                        if (isPrelude(args)) {
                            runs.add(args);
                            socket.send(streamFrame(id, end(null)));
                        } else {
                            runs.add(args);
                            onStream.run(socket, id, args);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                worker.setDaemon(true);
                worker.start();
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                closedStreams.release();
            }

            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                sockets.put(session, webSocket);
            }
        });
    }

    /** Streams what {@link #onRun} answers: stdout and stderr events, results, then the end frame. */
    private void replayAsStream(WebSocket socket, String id, JsonObject args) {
        JsonObject answer = JsonParser.parseString(onRun.apply(args)).getAsJsonObject();
        answer.getAsJsonArray("stdout").forEach(s -> socket.send(streamFrame(id, chunk("stdout", s.getAsString()))));
        answer.getAsJsonArray("stderr").forEach(s -> socket.send(streamFrame(id, chunk("stderr", s.getAsString()))));
        answer.getAsJsonArray("result").forEach(r -> {
            JsonObject mime = JsonParser.parseString(r.getAsString()).getAsJsonObject();
            boolean main = mime.has("isMainResult") && mime.remove("isMainResult").getAsBoolean();
            JsonObject data = event("result");
            JsonObject result = new JsonObject();
            result.add("mime", mime);
            result.addProperty("isMainResult", main);
            data.add("result", result);
            socket.send(streamFrame(id, data));
        });
        socket.send(streamFrame(id, end(answer.has("executionError") ? str(answer, "executionError") : null)));
    }

    // ---- wire shapes ----

    static String newFormat(List<String> results, List<String> stdout, List<String> stderr, String executionError) {
        JsonObject o = new JsonObject();
        JsonArray r = new JsonArray();
        results.forEach(r::add);
        o.add("result", r);
        JsonArray out = new JsonArray();
        stdout.forEach(out::add);
        o.add("stdout", out);
        JsonArray err = new JsonArray();
        stderr.forEach(err::add);
        o.add("stderr", err);
        if (executionError != null) {
            o.addProperty("executionError", executionError);
        }
        o.addProperty("execution_count", 1);
        o.addProperty("execution_time", 0.25);
        return GSON.toJson(o);
    }

    /** A main result bundle as the prelude makes it: text and the typed value. */
    static String valueBundle(String text, String valueJson) {
        JsonObject b = new JsonObject();
        b.addProperty("text/plain", text);
        b.addProperty("application/vnd.agb.value+json", valueJson);
        b.addProperty("isMainResult", true);
        return GSON.toJson(b);
    }

    static String streamFrame(String id, JsonObject data) {
        JsonObject f = new JsonObject();
        f.addProperty("invocationId", id);
        f.addProperty("source", "codespace_srv");
        f.addProperty("target", "SDK");
        f.add("data", data);
        return GSON.toJson(f);
    }

    static JsonObject event(String type) {
        JsonObject d = new JsonObject();
        d.addProperty("phase", "event");
        d.addProperty("eventType", type);
        return d;
    }

    static JsonObject chunk(String stream, String text) {
        JsonObject d = event(stream);
        d.addProperty("chunk", text);
        return d;
    }

    static JsonObject end(String executionError) {
        JsonObject d = new JsonObject();
        d.addProperty("phase", "end");
        d.addProperty("status", executionError == null ? "finished" : "failed");
        d.addProperty("executionCount", 3);
        d.addProperty("executionTime", 0.5);
        if (executionError != null) {
            d.addProperty("executionError", executionError);
        }
        return d;
    }

    static MockResponse ok(JsonObject data) {
        JsonObject e = new JsonObject();
        e.addProperty("success", true);
        e.addProperty("code", "ok");
        e.addProperty("message", "");
        e.addProperty("requestId", "req-" + Integer.toHexString(data.hashCode()));
        e.add("data", data);
        return json(200, GSON.toJson(e));
    }

    static MockResponse notFound() {
        return json(200, "{\"success\":false,\"code\":\"InvalidSession.NotFound\",\"message\":\"Resource [Session] is not found\","
                + "\"requestId\":\"req-nf\",\"data\":{}}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
