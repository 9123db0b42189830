package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every HTTP call against the loopback service: paths, query parameters, headers, bodies, error layers. */
class AgbClientTest {
    private FakeAgbService fake;
    private AgbClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        client = clientFor(fake.config().labels(Map.of("team", "ml")).idleTimeout(Duration.ofSeconds(300)).build());
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    static AgbClient clientFor(CloudConfig config) {
        return new AgbClient(config, new OkHttpClient.Builder().readTimeout(config.timeout()).build());
    }

    private static JsonObject body(RecordedRequest r) {
        return JsonParser.parseString(r.getBody().clone().readUtf8()).getAsJsonObject();
    }

    @Test
    void createSessionSendsImageStatsLabelsAndIdleTimeoutWithBearerKey() throws Exception {
        SessionInfo info = client.createSession();

        assertEquals("s-1", info.sessionId());
        RecordedRequest r = fake.requests("/mcp/createSession").get(0);
        assertEquals("POST", r.getMethod());
        assertEquals("Bearer " + FakeAgbService.KEY, r.getHeader("authorization"));
        assertEquals("application/json", r.getHeader("Content-Type"), "as the SDK sends it, no charset");
        assertEquals("agb-code-space-1", r.getRequestUrl().queryParameter("imageId"));
        JsonObject stats = JsonParser.parseString(r.getRequestUrl().queryParameter("sdkStats")).getAsJsonObject();
        assertEquals("sdk", stats.get("source").getAsString());
        JsonObject body = body(r);
        assertEquals("{\"team\":\"ml\"}", body.get("labels").getAsString(), "labels go as a JSON string");
        assertEquals(300, body.get("timeout").getAsInt());
    }

    @Test
    void createSessionFailsWithDataErrMsg() throws Exception {
        MockWebServer server = new MockWebServer();
        server.enqueue(FakeAgbService.json(200, "{\"success\":true,\"requestId\":\"req-7\",\"data\":"
                + "{\"success\":false,\"errMsg\":\"quota exceeded\"}}"));
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString()).build());
            AgbApiException e = assertThrows(AgbApiException.class, c::createSession);
            assertTrue(e.getMessage().contains("quota exceeded") && e.getMessage().contains("req-7"), e.getMessage());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void getSessionReadsRoutesAndToolServers() throws Exception {
        fake.routes = FakeAgbService.Routes.LINK;
        String id = client.createSession().sessionId();
        SessionInfo info = client.getSession(id);

        assertEquals(fake.endpoint() + "/link/" + id, info.linkUrl());
        assertEquals(FakeAgbService.TOKEN, info.token());
        assertEquals("wuying_codespace", info.toolServers().get("run_code"));
        assertEquals("RUNNING", info.status());
        assertTrue(info.offersLinkRoute("run_code"));
        assertFalse(info.toString().contains(FakeAgbService.TOKEN), "the token is a secret too");
        assertEquals(id, body(fake.requests("/mcp/getSession").get(0)).get("sessionId").getAsString());
    }

    @Test
    void sessionInfoAcceptsCapitalizedKeys() {
        JsonObject data = JsonParser.parseString("{\"SessionId\":\"s-9\",\"LinkUrl\":\"http://x\",\"Token\":\"t\","
                + "\"ToolList\":[{\"Name\":\"run_code\",\"serverName\":\"srv\"}],\"WsUrl\":\"ws://y\"}").getAsJsonObject();
        SessionInfo info = SessionInfo.parse(data);
        assertEquals("s-9", info.sessionId());
        assertEquals("srv", info.codeServer());
        assertTrue(info.offersLinkRoute("run_code") && info.offersStream());
    }

    @Test
    void listWalksEveryPageByNextToken() throws Exception {
        MockWebServer server = new MockWebServer();
        server.enqueue(FakeAgbService.json(200, "{\"success\":true,\"nextToken\":\"p2\",\"maxResults\":100,"
                + "\"data\":[{\"sessionId\":\"a\",\"sessionStatus\":\"RUNNING\"}]}"));
        server.enqueue(FakeAgbService.json(200, "{\"success\":true,\"nextToken\":\"\","
                + "\"data\":[{\"sessionId\":\"b\",\"sessionStatus\":\"PAUSED\"}]}"));
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString()).build());
            List<AgbClient.SessionSummary> all = c.listSessions(Map.of("team", "ml"));

            assertEquals(List.of(new AgbClient.SessionSummary("a", "RUNNING"), new AgbClient.SessionSummary("b", "PAUSED")),
                    all);
            RecordedRequest first = server.takeRequest();
            assertEquals("GET", first.getMethod());
            assertEquals("/sdk/ListSession", first.getRequestUrl().encodedPath());
            assertEquals("100", first.getRequestUrl().queryParameter("maxResults"));
            assertEquals("{\"team\":\"ml\"}", first.getRequestUrl().queryParameter("labels"));
            assertNull(first.getRequestUrl().queryParameter("nextToken"));
            assertEquals("Bearer k", first.getHeader("authorization"));
            assertEquals("p2", server.takeRequest().getRequestUrl().queryParameter("nextToken"));
        } finally {
            server.shutdown();
        }
    }

    @Test
    void deleteReleasesThenPollsUntilTheSessionIsGone() throws Exception {
        String id = client.createSession().sessionId();

        assertTrue(client.deleteSession(id, Duration.ofSeconds(2), Duration.ofMillis(5)));

        assertEquals(id, body(fake.requests("/mcp/releaseSessionAsync").get(0)).get("sessionId").getAsString());
        assertEquals(2, fake.requests("/mcp/getSessionInfo").size(), "DELETING, then not found");
        assertFalse(fake.sessions.containsKey(id));
    }

    @Test
    void deleteIsBoundedWhenTheServiceNeverFinishes() throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeAgbService.json(200, "{\"success\":true,\"data\":{\"status\":\"DELETING\"}}");
            }
        });
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString()).build());
            assertFalse(c.deleteSession("s", Duration.ofMillis(100), Duration.ofMillis(20)));
        } finally {
            server.shutdown();
        }
    }

    @Test
    void keepAliveSendsTheSessionIdAsQueryAndAnEmptyBody() throws Exception {
        String id = client.createSession().sessionId();
        client.refreshIdleTime(id);

        RecordedRequest r = fake.requests("/mcp/refreshSessionIdleTime").get(0);
        assertEquals("POST", r.getMethod());
        assertEquals(id, r.getRequestUrl().queryParameter("sessionId"));
        assertEquals("{}", r.getBody().readUtf8());
    }

    @Test
    void runCodeByTheApiRoute() throws Exception {
        fake.onRun = args -> FakeAgbService.newFormat(List.of(FakeAgbService.valueBundle("2", "2")), List.of("hi\n"),
                List.of(), null);
        SessionInfo session = client.createSession();
        ExecutionResult result = client.runCode(session,
                new ExecutionRequest(Language.PYTHON, "print('hi'); 1+1", Duration.ofSeconds(90), false),
                ExecutionListener.NONE);

        assertEquals("2", result.text());
        assertEquals("2", result.mainResult().get().valueJson());
        assertEquals(List.of("hi\n"), result.logs().stdout());
        RecordedRequest r = fake.requests("/mcp").get(0);
        assertEquals("false", r.getRequestUrl().queryParameter("autoGenSession"));
        assertNull(r.getRequestUrl().queryParameter("imageId"), "the SDK sends no imageId on the API route");
        assertEquals("Bearer " + FakeAgbService.KEY, r.getHeader("authorization"));
        assertEquals("application/json", r.getHeader("Content-Type"));
        JsonObject body = body(r);
        assertFalse(body.has("server"), "the SDK sends no server on the API route");
        assertEquals(session.sessionId(), body.get("sessionId").getAsString());
        assertEquals("run_code", body.get("name").getAsString());
        assertTrue(body.get("args").isJsonPrimitive(), "args travel as a JSON string");
        JsonObject args = JsonParser.parseString(body.get("args").getAsString()).getAsJsonObject();
        assertEquals("print('hi'); 1+1", args.get("code").getAsString());
        assertEquals("python", args.get("language").getAsString());
        assertEquals(90, args.get("timeout_s").getAsInt());
        assertTrue(result.requestId().startsWith("req-"));
    }

    @Test
    void runCodeByTheLinkRouteUsesTheAccessTokenNotTheKey() throws Exception {
        fake.routes = FakeAgbService.Routes.LINK;
        fake.onRun = args -> FakeAgbService.newFormat(List.of(), List.of("via link\n"), List.of(), null);
        SessionInfo session = client.createSession();
        ExecutionResult result = client.runCode(session,
                new ExecutionRequest(Language.R, "cat('via link\\n')", Duration.ofMillis(1500), false),
                ExecutionListener.NONE);

        assertEquals("via link\n", result.logs().stdoutText());
        RecordedRequest r = fake.requests("/link/" + session.sessionId() + "/callTool").get(0);
        assertEquals(FakeAgbService.TOKEN, r.getHeader("X-Access-Token"));
        assertNull(r.getHeader("authorization"), "the LinkUrl route carries no API key");
        JsonObject body = body(r);
        assertEquals("run_code", body.get("tool").getAsString());
        assertEquals("wuying_codespace", body.get("server").getAsString());
        assertEquals(FakeAgbService.TOKEN, body.get("token").getAsString());
        assertTrue(body.get("requestId").getAsString().matches("link-\\d+-\\d{9}"));
        assertEquals(body.get("requestId").getAsString(), result.requestId());
        JsonObject args = body.getAsJsonObject("args");
        assertEquals("r", args.get("language").getAsString());
        assertEquals(2, args.get("timeout_s").getAsInt(), "sub-second parts round up");
    }

    // ---- the four error layers ----

    @Test
    void transportFailureIsATransportExceptionWithoutTheKey() throws Exception {
        MockWebServer server = new MockWebServer();
        server.start();
        String endpoint = server.url("/").toString();
        server.shutdown(); // nothing listens there now
        AgbClient c = clientFor(CloudConfig.builder().apiKey(FakeAgbService.KEY).endpoint(endpoint)
                .retryBackoff(Duration.ofMillis(1)).build());

        AgbTransportException e = assertThrows(AgbTransportException.class, c::createSession);
        assertEquals(0, e.httpStatus());
        assertTrue(e.getMessage().contains("request id: none"), e.getMessage());
        assertFalse(e.getMessage().contains(FakeAgbService.KEY));
    }

    @Test
    void httpErrorWithoutEnvelopeIsTransportAndNamesTheHeaderRequestId() throws Exception {
        MockWebServer server = new MockWebServer();
        server.enqueue(new MockResponse().setResponseCode(502).setHeader("x-request-id", "gw-1").setBody("<html>bad"));
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString()).build());
            AgbTransportException e = assertThrows(AgbTransportException.class, c::createSession);
            assertEquals(502, e.httpStatus());
            assertEquals("gw-1", e.requestId());
            assertTrue(e.getMessage().contains("HTTP 502") && e.getMessage().contains("gw-1"), e.getMessage());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void envelopeFailureWithHttp200IsAnApiException() throws Exception {
        AgbApiException e = assertThrows(AgbApiException.class, () -> client.getSession("missing"));

        assertEquals("InvalidSession.NotFound", e.code());
        assertTrue(e.isSessionNotFound());
        assertEquals("req-nf", e.requestId());
        assertTrue(e.getMessage().contains("[InvalidSession.NotFound] Resource [Session] is not found")
                && e.getMessage().contains("req-nf"), e.getMessage());
    }

    @Test
    void toolIsErrorIsAToolException() throws Exception {
        MockWebServer server = new MockWebServer();
        server.enqueue(FakeAgbService.json(200, "{\"success\":true,\"requestId\":\"req-tool\",\"data\":{\"content\":"
                + "[{\"type\":\"text\",\"text\":\"invalid language\"}],\"isError\":true}}"));
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString()).build());
            AgbToolException e = assertThrows(AgbToolException.class, () -> c.runCode(
                    new SessionInfo("s", null, null, null, null, null, Map.of()), ExecutionRequest.of(Language.JAVA, "x"), ExecutionListener.NONE));
            assertTrue(e.getMessage().contains("invalid language") && e.getMessage().contains("req-tool"), e.getMessage());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void executionErrorIsAResultNotAnException() throws Exception {
        fake.onRun = args -> FakeAgbService.newFormat(List.of(), List.of("before\n"), List.of(),
                "NameError: name 'y' is not defined");
        SessionInfo session = client.createSession();
        ExecutionResult result = client.runCode(session, ExecutionRequest.of(Language.PYTHON, "print('before'); y"),
                ExecutionListener.NONE);

        assertFalse(result.success());
        assertEquals("NameError", result.error().get().name());
        assertEquals("name 'y' is not defined", result.error().get().value());
        assertEquals("before\n", result.logs().stdoutText());
    }

    // ---- retries ----

    @Test
    void safeCallsAreRetriedOnServerErrors() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return calls.incrementAndGet() == 1 ? new MockResponse().setResponseCode(503)
                        : FakeAgbService.json(200, "{\"success\":true,\"data\":{\"sessionId\":\"s\",\"status\":\"RUNNING\"}}");
            }
        });
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString())
                    .retryBackoff(Duration.ofMillis(1)).build());
            assertEquals("RUNNING", c.sessionStatus("s"));
            assertEquals(2, calls.get());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void runCodeIsNeverRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                calls.incrementAndGet();
                return new MockResponse().setResponseCode(503);
            }
        });
        server.start();
        try {
            AgbClient c = clientFor(CloudConfig.builder().apiKey("k").endpoint(server.url("/").toString())
                    .retryBackoff(Duration.ofMillis(1)).build());
            assertThrows(AgbTransportException.class, () -> c.runCode(
                    new SessionInfo("s", null, null, null, null, null, Map.of()), ExecutionRequest.of(Language.PYTHON, "x=1"), ExecutionListener.NONE));
            assertEquals(1, calls.get());
        } finally {
            server.shutdown();
        }
    }
}
