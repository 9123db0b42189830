package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session API answers of the SDK's unit tests: create, get, status, list, release, keep-alive. */
class SessionFixturesTest {
    private FakeAgbService fake;
    private MockWebServer server;
    /** path → answer of {@link #server}; a path answered with a list gives its answers in turn. */
    private final Map<String, List<MockResponse>> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                List<MockResponse> queue = answers.get(request.getRequestUrl().encodedPath());
                if (queue == null || queue.isEmpty()) {
                    return FakeAgbService.json(404, "{}");
                }
                return queue.size() > 1 ? queue.remove(0) : queue.get(0);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
        fake.close();
    }

    private void answer(String path, int status, String fixture) {
        answers.computeIfAbsent(path, p -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(FakeAgbService.json(status, Fixtures.text(fixture)));
    }

    private AgbClient client() {
        return AgbClientTest.clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString())
                .retryBackoff(Duration.ofMillis(1)).build());
    }

    private void createAnswers(String fixture) {
        fake.onCreate = () -> FakeAgbService.json(200, Fixtures.text(fixture));
    }

    @Test
    @Fixtures.Of("sess-create-min.json")
    void createWithoutRoutesRunsByTheApiRoute() {
        createAnswers("sess-create-min.json");
        fake.sessions.put("sid-1", "RUNNING");
        fake.onRun = args -> FakeAgbService.newFormat(List.of("{\"text/plain\":\"ok\",\"isMainResult\":true}"),
                List.of(), List.of(), null);
        try (EngineRun run = new EngineRun(fake, fake.config().build())) {
            assertEquals("ok", run.eval("code()").value());
        }
        assertTrue(fake.requests("/mcp").stream().allMatch(r -> r.getBody().clone().readUtf8().contains("\"sid-1\"")));
        assertEquals(0, fake.wsUpgrades.get());
    }

    @Test
    @Fixtures.Of("sess-create-full.json")
    void createWithEveryField() throws Exception {
        createAnswers("sess-create-full.json");
        SessionInfo info = AgbClientTest.clientFor(fake.config().build()).createSession();
        assertEquals("sid-2", info.sessionId());
        assertEquals("https://link.example/s", info.linkUrl());
        assertEquals("wss://ws.example/s", info.wsUrl());
        assertEquals("tok", info.token());
        assertEquals(Map.of("run_code", "wuying_codespace", "execute_command", "wuying_codespace",
                "read_file", "wuying_codespace"), info.toolServers());
        assertTrue(info.offersStream() && info.offersLinkRoute("run_code"));
        assertFalse(info.offersLinkRoute("write_file"), "no server named for it: the API route");
    }

    @Test
    @Fixtures.Of("sess-create-data-failure.json")
    void createFailsWithErrMsg() {
        createAnswers("sess-create-data-failure.json");
        try (EngineRun run = new EngineRun(fake, fake.config().build())) {
            EngineRun.Outcome o = run.eval("code()");
            AgbApiException e = assertInstanceOf(AgbApiException.class, o.error().getCause());
            assertTrue(e.getMessage().contains("quota exceeded") && e.getMessage().contains("req-1"), e.getMessage());
        }
    }

    @Test
    @Fixtures.Of("sess-create-no-id.json")
    void createWithoutSessionIdFails() {
        createAnswers("sess-create-no-id.json");
        try (EngineRun run = new EngineRun(fake, fake.config().build())) {
            EngineRun.Outcome o = run.eval("code()");
            AgbProtocolException e = assertInstanceOf(AgbProtocolException.class, o.error().getCause());
            assertTrue(e.getMessage().contains("no sessionId") && e.getMessage().contains("req-1"), e.getMessage());
        }
    }

    @Test
    @Fixtures.Of("sess-create-toollist-array.json")
    void toolListAsAnArrayWithOtherSpellings() throws Exception {
        createAnswers("sess-create-toollist-array.json");
        SessionInfo info = AgbClientTest.clientFor(fake.config().build()).createSession();
        assertEquals("srv_x", info.serverOf("run_code"));
        assertTrue(info.offersLinkRoute("run_code"), "the LinkUrl route is chosen");
        assertFalse(info.offersStream());
    }

    @Test
    @Fixtures.Of("sess-get.json")
    void getSession() throws Exception {
        answer("/mcp/getSession", 200, "sess-get.json");
        SessionInfo info = client().getSession("sid");
        assertEquals("sid", info.sessionId());
        assertEquals("Running", info.status());
        assertEquals("https://r", info.resourceUrl());
        assertNull(info.linkUrl());
    }

    @Test
    @Fixtures.Of("sess-get-pascal.json")
    void getSessionPascalCase() throws Exception {
        answer("/mcp/getSession", 200, "sess-get-pascal.json");
        SessionInfo info = client().getSession("sid");
        assertEquals("https://link.example/s", info.linkUrl());
        assertEquals("wss://ws.example/s", info.wsUrl());
        assertEquals("tok", info.token());
        assertEquals("wuying_codespace", info.serverOf("run_code"));
    }

    @Test
    @Fixtures.Of("sess-detail-status.json")
    void status() throws Exception {
        answer("/mcp/getSessionInfo", 200, "sess-detail-status.json");
        assertEquals("Running", client().sessionStatus("sid"));
    }

    @Test
    @Fixtures.Of("sess-detail-nodata.json")
    void statusWithoutData() throws Exception {
        answer("/mcp/getSessionInfo", 200, "sess-detail-nodata.json");
        assertEquals("", client().sessionStatus("sid"));
    }

    @Test
    @Fixtures.Of("sess-detail-notfound-400.json")
    void notFoundWhilePollingEndsTheDelete() throws Exception {
        answer("/mcp/releaseSessionAsync", 200, "sess-release-async-flat.json");
        answer("/mcp/getSessionInfo", 400, "sess-detail-notfound-400.json");
        assertTrue(client().deleteSession("sid", Duration.ofSeconds(5), Duration.ofMillis(10)));
        AgbApiException e = assertThrows(AgbApiException.class, () -> client().sessionStatus("sid"));
        assertTrue(e.isSessionNotFound());
        assertEquals(400, e.httpStatus());
    }

    @Test
    @Fixtures.Of("sess-list.json")
    void listFollowsNextToken() throws Exception {
        answer("/sdk/ListSession", 200, "sess-list.json");
        answers.get("/sdk/ListSession").add(FakeAgbService.json(200, "{\"success\":true,\"data\":[]}"));
        List<AgbClient.SessionSummary> sessions = client().listSessions(Map.of());
        assertEquals(List.of(new AgbClient.SessionSummary("s1", "Running"), new AgbClient.SessionSummary("s2", "Stopped")),
                sessions);
        server.takeRequest();
        assertEquals("tok", server.takeRequest().getRequestUrl().queryParameter("nextToken"));
    }

    @Test
    @Fixtures.Of("sess-release-async-pascal-body.json")
    void releaseAnswerUnderBodyInPascalCase() throws Exception {
        answer("/mcp/releaseSessionAsync", 200, "sess-release-async-pascal-body.json");
        client().releaseSessionAsync("sid");
        answers.clear();
        answer("/mcp/releaseSessionAsync", 202, "sess-release-async-pascal-body.json");
        AgbApiException e = assertThrows(AgbApiException.class, () -> client().releaseSessionAsync("sid"));
        assertTrue(e.getMessage().contains("HTTP 202") && e.getMessage().contains("r-del"), e.getMessage());
    }

    @Test
    @Fixtures.Of("sess-release-async-flat.json")
    void releaseAnswerFlat() throws Exception {
        answer("/mcp/releaseSessionAsync", 200, "sess-release-async-flat.json");
        client().releaseSessionAsync("sid");
        assertEquals("{\"sessionId\":\"sid\"}", server.takeRequest().getBody().readUtf8());
    }

    @Test
    @Fixtures.Of("sess-refresh-ok.json")
    void refreshSucceedsOnlyWithHttp200() throws Exception {
        answer("/mcp/refreshSessionIdleTime", 200, "sess-refresh-ok.json");
        client().refreshIdleTime("sid");
        RecordedRequest r = server.takeRequest();
        assertEquals("sid", r.getRequestUrl().queryParameter("sessionId"));
        answers.clear();
        answer("/mcp/refreshSessionIdleTime", 201, "sess-refresh-ok.json");
        assertThrows(AgbApiException.class, () -> client().refreshIdleTime("sid"));
    }
}
