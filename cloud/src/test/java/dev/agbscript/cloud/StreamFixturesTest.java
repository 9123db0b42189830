package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket frames of the SDK's unit tests, sent by the service for a streamed eval of the agb-python
 * engine, and the frames the client sends.
 */
class StreamFixturesTest {
    private FakeAgbService fake;
    private EngineRun run;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        fake.routes = FakeAgbService.Routes.STREAM;
        run = new EngineRun(fake, fake.config().build());
    }

    @AfterEach
    void stop() throws Exception {
        run.close();
        fake.close();
    }

    /** The service answers each run with the fixture's frames, then the given frames. */
    private void answer(String fixture, JsonObject... then) {
        fake.onStream = (socket, id, args) -> {
            Fixtures.frames(fixture, id).forEach(socket::send);
            for (JsonObject data : then) {
                socket.send(FakeAgbService.streamFrame(id, data));
            }
        };
    }

    private static JsonObject end() {
        JsonObject d = new JsonObject();
        d.addProperty("phase", "end");
        d.addProperty("status", "finished");
        return d;
    }

    private static ExecutionError codeError(EngineRun.Outcome o) {
        return assertInstanceOf(AgbScriptException.class, o.error(), String.valueOf(o.error())).error();
    }

    @Test
    @Fixtures.Of("ws-event-stdout.json")
    void stdoutChunk() {
        answer("ws-event-stdout.json", end());
        EngineRun.Outcome o = run.eval("code()");
        assertEquals("hello ", o.out());
        assertNull(o.error());
        assertTrue(fake.requests("/mcp").isEmpty(), "streamed, not over HTTP");
    }

    @Test
    @Fixtures.Of("ws-end-finished.json")
    void endFinished() throws Exception {
        answer("ws-end-finished.json");
        EngineRun.Outcome o = run.eval("code()");
        assertNull(o.value());
        assertNull(o.error());
        ExecutionResult r = run.result("code()");
        assertTrue(r.success());
        assertEquals(Duration.ZERO, r.executionTime());
        assertTrue(r.executionCount().isEmpty());
    }

    @Test
    @Fixtures.Of("ws-end-with-count.json")
    void endWithCount() throws Exception {
        answer("ws-end-with-count.json");
        assertEquals(1, run.result("code()").executionCount().getAsInt());
    }

    @Test
    @Fixtures.Of("ws-missing-invocation-id.json")
    void aFrameWithoutIdIsIgnoredAndDoesNotEndTheRun() {
        answer("ws-missing-invocation-id.json", FakeAgbService.chunk("stdout", "after\n"), end());
        EngineRun.Outcome o = run.eval("code()");
        assertNull(o.error());
        assertEquals("after\n", o.out(), "the run went on past the id-less end frame");
    }

    @Test
    @Fixtures.Of("ws-data-error-string.json")
    void dataErrorStringAbortsTheRun() {
        answer("ws-data-error-string.json");
        ExecutionError e = codeError(run.eval("code()"));
        assertEquals(ExecutionError.Kind.ABORTED, e.kind());
        assertTrue(e.value().contains("bad request"), e.value());
    }

    @Test
    @Fixtures.Of("ws-phase-error.json")
    void phaseErrorAbortsTheRun() {
        answer("ws-phase-error.json");
        ExecutionError e = codeError(run.eval("code()"));
        assertEquals(ExecutionError.Kind.ABORTED, e.kind());
        assertTrue(e.value().contains("execution failed"), e.value());
    }

    @Test
    @Fixtures.Of("ws-event-result-mime.json")
    void resultEvent() throws Exception {
        answer("ws-event-result-mime.json", end());
        assertEquals("42", run.eval("code()").value());
        assertEquals("<b>42</b>", run.result("code()").mainResult().get().html());
    }

    @Test
    @Fixtures.Of("ws-event-result-nondict.json")
    void aResultThatIsNotADictIsNeverTheValue() throws Exception {
        answer("ws-event-result-nondict.json", end());
        assertNull(run.eval("code()").value());
        ExecutionResult r = run.result("code()");
        assertEquals("plain text", r.results().get(0).text());
        assertFalse(r.results().get(0).isMainResult());
    }

    @Test
    @Fixtures.Of("ws-event-error-dict.json")
    void errorEventAndTheStreamGoesOnToTheEnd() {
        answer("ws-event-error-dict.json", FakeAgbService.chunk("stdout", "after\n"), end());
        EngineRun.Outcome o = run.eval("code()");
        assertEquals(new ExecutionError("RuntimeError", "division by zero", "traceId=trace-abc"), codeError(o));
        assertEquals("after\n", o.out());
    }

    /** Was {@code ExecutionError: null}: the payload is data itself, without code or message. */
    @Test
    @Fixtures.Of("ws-event-error-null.json")
    void errorEventWithNullError() {
        answer("ws-event-error-null.json", end());
        ExecutionError e = codeError(run.eval("code()"));
        assertEquals("ExecutionError", e.name());
        assertEquals("", e.value());
    }

    @Test
    @Fixtures.Of("ws-event-error-flat.json")
    void errorEventWithCodeAndMessageInData() {
        answer("ws-event-error-flat.json", end());
        ExecutionError e = codeError(run.eval("code()"));
        assertEquals("KeyError", e.name());
        assertEquals("'k'", e.value());
    }

    /** SDK: error {ExecutionError, TimeoutError}. Ours: the same failure, of kind TIMEOUT. */
    @Test
    @Fixtures.Of("ws-end-timeout.json")
    void endWithTimeoutError() {
        answer("ws-end-timeout.json");
        ExecutionError e = codeError(run.eval("code()"));
        assertTrue(e.isTimeout());
        assertEquals(ExecutionError.TIMEOUT, e.name());
    }

    @Test
    @Fixtures.Of("ws-end-status-failed.json")
    void endStatusFailed() {
        answer("ws-end-status-failed.json");
        EngineRun.Outcome o = run.eval("code()");
        assertEquals(ExecutionError.Kind.CODE, codeError(o).kind());
    }

    /** Was "123" and "null" on the user's writers. */
    @Test
    @Fixtures.Of("ws-seq-nonstring-chunks.json")
    void chunksThatAreNotStringsAreDropped() {
        answer("ws-seq-nonstring-chunks.json");
        EngineRun.Outcome o = run.eval("code()");
        assertNull(o.error());
        assertEquals("valid\n", o.out());
        assertEquals("", o.err());
    }

    @Test
    @Fixtures.Of("ws-seq-mixed.json")
    void mixedEvents() throws Exception {
        answer("ws-seq-mixed.json");
        EngineRun.Outcome o = run.eval("code()");
        assertEquals("42", o.value());
        assertEquals("line1\nline2\n", o.out());
        assertEquals("warn\n", o.err());
        ExecutionResult r = run.result("code()");
        assertEquals(List.of("line1\n", "line2\n"), r.logs().stdout());
        assertEquals(2, r.executionCount().getAsInt());
        assertEquals(Duration.ofMillis(1500), r.executionTime());
    }

    @Test
    @Fixtures.Of("ws-data-as-string.json")
    void dataSentAsAJsonString() throws Exception {
        answer("ws-data-as-string.json");
        ExecutionResult r = run.result("code()");
        assertTrue(r.success());
        assertEquals(4, r.executionCount().getAsInt());
    }

    @Test
    @Fixtures.Of("ws-requestid-instead.json")
    void routedByRequestId() {
        answer("ws-requestid-instead.json");
        EngineRun.Outcome o = run.eval("code()");
        assertNull(o.error());
    }

    @Test
    @Fixtures.Of("ws-client-run-frame.json")
    void theRunFrameIsTheSdks() {
        answer("ws-end-finished.json");
        run.eval("print(1)");
        JsonObject sent = fake.userRuns().get(0).getAsJsonObject("frame");
        JsonObject sdk = Fixtures.json("ws-client-run-frame.json").getAsJsonObject();
        assertEquals(sdk.keySet(), sent.keySet());
        assertTrue(sent.get("invocationId").getAsString().matches("[0-9a-f]{32}"), "uuid4 hex, no dashes");
        assertEquals(sdk.get("source"), sent.get("source"));
        assertEquals("codespace_srv", sent.get("target").getAsString(), "the run_code server of the tool list");
        JsonObject data = sent.getAsJsonObject("data");
        JsonObject sdkData = sdk.getAsJsonObject("data");
        assertEquals(sdkData.keySet(), data.keySet());
        assertEquals(sdkData.get("method"), data.get("method"));
        assertEquals(sdkData.get("mode"), data.get("mode"));
        assertEquals(sdkData.getAsJsonObject("params").keySet(), data.getAsJsonObject("params").keySet());
        assertEquals(sdkData.getAsJsonObject("params"), data.getAsJsonObject("params"),
                "language python, timeoutS 60 (camelCase), the code");
    }

    /** The TypeScript SDK's text heartbeat; ours are protocol pings, as the Python SDK's. */
    @Test
    @Fixtures.Of("ws-client-ts-heartbeat.json")
    void heartbeatsAreProtocolPingsNotTextFrames() throws Exception {
        try (SilentWebSocketServer silent = new SilentWebSocketServer();
             CloudBackend heartbeating = new CloudBackend(fake.config().heartbeat(Duration.ofMillis(100)).build())) {
            fake.wsUrlOverride = silent.url();
            Sandbox quiet = heartbeating.createSandbox();
            try {
                assertThrows(AgbTransportException.class, () -> quiet.execute(
                        new ExecutionRequest(Language.JAVA, "1", Duration.ofSeconds(30), false), ExecutionListener.NONE));
                assertTrue(silent.pingReceived.await(5, TimeUnit.SECONDS), "a protocol ping was sent");
                String tsHeartbeat = Fixtures.json("ws-client-ts-heartbeat.json").toString();
                assertEquals(1, silent.textFrames.size(), silent.textFrames.toString());
                for (String frame : silent.textFrames) {
                    assertFalse(JsonParser.parseString(frame).toString().equals(tsHeartbeat), frame);
                    assertTrue(frame.contains("\"invocationId\""), frame);
                }
            } finally {
                quiet.close();
            }
        }
    }
}
