package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.session.ExecutionResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole HTTP answers of the SDK's unit tests to a tool call, on the API route ({@code POST /mcp}) and on
 * the LinkUrl route ({@code POST <linkUrl>/callTool}), answered to an eval of the agb-python engine.
 */
class HttpFixturesTest {
    private FakeAgbService fake;
    private EngineRun run;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
    }

    @AfterEach
    void stop() throws Exception {
        if (run != null) {
            run.close();
        }
        fake.close();
    }

    private EngineRun.Outcome viaApi(String fixture) {
        fake.onApiRunBody = () -> Fixtures.text(fixture);
        run = new EngineRun(fake, fake.config().build());
        return run.eval("code()");
    }

    private EngineRun.Outcome viaLink(String fixture) {
        fake.routes = FakeAgbService.Routes.LINK;
        fake.onLinkBody = () -> Fixtures.text(fixture);
        run = new EngineRun(fake, fake.config().build());
        return run.eval("code()");
    }

    // ---- API route ----

    @Test
    @Fixtures.Of("env-mcp-success-text.json")
    void apiText() throws Exception {
        EngineRun.Outcome o = viaApi("env-mcp-success-text.json");
        assertEquals("ok", o.value());
        assertEquals("ok", o.out());
        assertEquals("req-ok", run.result("code()").requestId());
    }

    /** An expired session by its code: a new session runs the code, the old one is released. */
    @Test
    @Fixtures.Of("env-mcp-notfound-http200.json")
    void apiSessionNotFoundRecreatesAndReleases() throws Exception {
        AtomicBoolean answered = new AtomicBoolean();
        // The fixture answers the first call (the prelude) only; then the service answers as usual.
        fake.onApiRunBody = () -> answered.getAndSet(true) ? null : Fixtures.text("env-mcp-notfound-http200.json");
        fake.onRun = args -> FakeAgbService.newFormat(List.of("{\"text/plain\":\"7\",\"isMainResult\":true}"),
                List.of(), List.of(), null);
        run = new EngineRun(fake, fake.config().build());

        EngineRun.Outcome o = run.eval("code()");

        assertEquals("7", o.value(), String.valueOf(o.error()));
        assertEquals(2, fake.requests("/mcp/createSession").size());
        JsonObject released = JsonParser.parseString(fake.requests("/mcp/releaseSessionAsync").get(0).getBody()
                .clone().readUtf8()).getAsJsonObject();
        assertEquals("s-1", released.get("sessionId").getAsString(), "the session it left is released");
        assertEquals(List.of("code()"), fake.userRuns().stream().map(a -> a.get("code").getAsString()).toList(),
                "the code ran once, in the new session");
    }

    @Test
    @Fixtures.Of("env-mcp-session-not-found.json")
    void apiSessionNotFoundEveryTimeFailsNamingTheRequest() {
        EngineRun.Outcome o = viaApi("env-mcp-session-not-found.json");
        AgbApiException e = assertInstanceOf(AgbApiException.class, o.error().getCause());
        assertTrue(e.isSessionNotFound());
        assertTrue(e.getMessage().contains("Session not found") && e.getMessage().contains("req-789"), e.getMessage());
    }

    @Test
    @Fixtures.Of("env-mcp-tool-iserror.json")
    void apiToolError() {
        EngineRun.Outcome o = viaApi("env-mcp-tool-iserror.json");
        AgbToolException e = assertInstanceOf(AgbToolException.class, o.error().getCause());
        assertTrue(e.getMessage().contains("Tool execution failed") && e.getMessage().contains("req-999"),
                e.getMessage());
    }

    @Test
    @Fixtures.Of("env-mcp-json-text.json")
    void apiJsonTextWhoseResultIsNotAList() {
        EngineRun.Outcome o = viaApi("env-mcp-json-text.json");
        String value = String.valueOf(o.value());
        assertTrue(value.contains("\"result\"") && value.contains("success"), value);
    }

    @Test
    @Fixtures.Of("env-mcp-image.json")
    void apiImageData() {
        assertEquals("base64data", viaApi("env-mcp-image.json").value());
    }

    /** SDK: '2' is not main (no flag). Ours: the last unflagged bundle with text is the value. */
    @Test
    @Fixtures.Of("env-mcp-runcode-new.json")
    void apiRunCodeNewFormat() throws Exception {
        EngineRun.Outcome o = viaApi("env-mcp-runcode-new.json");
        assertEquals("2", o.value());
        assertEquals("hi\n", o.out());
        ExecutionResult r = run.result("code()");
        assertEquals(3, r.executionCount().getAsInt());
        assertEquals("req-run", r.requestId());
    }

    // ---- LinkUrl route ----

    @Test
    @Fixtures.Of("link-success.json")
    void linkSuccess() throws Exception {
        assertEquals("3", viaLink("link-success.json").value());
        assertTrue(run.result("code()").requestId().matches("link-\\d+-\\d{9}"));
        assertTrue(fake.requests("/mcp").isEmpty(), "nothing went by the API route");
    }

    @Test
    @Fixtures.Of("link-data-string.json")
    void linkDataAsAJsonString() {
        assertEquals("plain", viaLink("link-data-string.json").value());
    }

    @Test
    @Fixtures.Of("link-content-string.json")
    void linkContentIsAPlainString() {
        assertEquals("raw string content", viaLink("link-content-string.json").value());
    }

    @Test
    @Fixtures.Of("link-content-blob.json")
    void linkContentBlob() {
        assertEquals("YmxvYg==", viaLink("link-content-blob.json").value());
    }

    @Test
    @Fixtures.Of("link-iserror.json")
    void linkToolError() {
        EngineRun.Outcome o = viaLink("link-iserror.json");
        AgbToolException e = assertInstanceOf(AgbToolException.class, o.error().getCause());
        assertTrue(e.getMessage().contains("boom") && e.getMessage().contains("request id: link-"), e.getMessage());
    }

    @Test
    @Fixtures.Of("link-no-data.json")
    void linkWithoutData() {
        EngineRun.Outcome o = viaLink("link-no-data.json");
        assertInstanceOf(AgbProtocolException.class, o.error().getCause());
        assertTrue(o.error().getMessage().contains("No data field in LinkUrl response"), o.error().getMessage());
    }

    @Test
    @Fixtures.Of("link-multi-text.json")
    void linkOnlyTheFirstContentItemCounts() {
        EngineRun.Outcome o = viaLink("link-multi-text.json");
        assertEquals("A", o.value());
        assertNotEquals(null, o.value());
        assertFalse(o.out().contains("trailer"));
    }
}
