package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streamed runs over the session's WebSocket: live outputs, events, the end frame, drops and timeouts. */
class CloudStreamTest {
    private FakeAgbService fake;
    private CloudBackend backend;
    private Sandbox session;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        fake.routes = FakeAgbService.Routes.STREAM;
        backend = new CloudBackend(fake.config().build());
        session = backend.createSandbox();
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        backend.close();
        fake.close();
    }

    /** Records the listener's calls in order. */
    static final class Recorder implements ExecutionListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch threeChunks = new CountDownLatch(3);

        @Override
        public void onStdout(String chunk) {
            events.add("out:" + chunk);
            threeChunks.countDown();
        }

        @Override
        public void onStderr(String chunk) {
            events.add("err:" + chunk);
            threeChunks.countDown();
        }

        @Override
        public void onResult(MimeBundle result) {
            events.add("result:" + result.text());
        }

        @Override
        public void onError(ExecutionError error) {
            events.add("error:" + error.name());
        }
    }

    @Test
    void interleavedStdoutAndStderrReachTheListenerBeforeTheEndFrame() throws Exception {
        Recorder recorder = new Recorder();
        AtomicBoolean deliveredBeforeEnd = new AtomicBoolean();
        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "1\n")));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stderr", "e1\n")));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "2\n")));
            // The end frame is only sent once the client has shown all three chunks.
            deliveredBeforeEnd.set(recorder.threeChunks.await(5, TimeUnit.SECONDS));
            JsonObject result = FakeAgbService.event("result");
            JsonObject r = new JsonObject();
            JsonObject mime = new JsonObject();
            mime.addProperty("text/plain", "3");
            mime.addProperty("application/vnd.agb.value+json", "3");
            r.add("mime", mime);
            r.addProperty("isMainResult", true);
            result.add("result", r);
            socket.send(FakeAgbService.streamFrame(id, result));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.end(null)));
        };

        ExecutionResult result = session.execute(
                new ExecutionRequest(Language.PYTHON, "print(1); ...; 3", Duration.ofSeconds(30), false), recorder);

        assertTrue(deliveredBeforeEnd.get(), "the chunks reached the listener while the run was still going");
        assertEquals(List.of("out:1\n", "err:e1\n", "out:2\n", "result:3"), recorder.events);
        assertTrue(result.success());
        assertEquals(List.of("1\n", "2\n"), result.logs().stdout());
        assertEquals("e1\n", result.logs().stderrText());
        assertEquals("3", result.mainResult().get().valueJson());
        assertEquals(3, result.executionCount().getAsInt());
        assertEquals(Duration.ofMillis(500), result.executionTime());

        JsonObject frame = fake.userRuns().get(0).getAsJsonObject("frame");
        assertEquals(result.requestId(), frame.get("invocationId").getAsString());
        assertTrue(result.requestId().matches("[0-9a-f]{32}"));
        assertEquals("SDK", frame.get("source").getAsString());
        assertEquals("codespace_srv", frame.get("target").getAsString(), "the run_code server of the tool list");
        JsonObject data = frame.getAsJsonObject("data");
        assertEquals("run_code", data.get("method").getAsString());
        assertEquals("stream", data.get("mode").getAsString());
        assertEquals(30, data.getAsJsonObject("params").get("timeoutS").getAsInt());
        assertEquals("python", data.getAsJsonObject("params").get("language").getAsString());
        RecordedRequest upgrade = fake.requests("/ws").get(0);
        assertEquals(FakeAgbService.TOKEN, upgrade.getHeader("X-Access-Token"));
        assertEquals(0, fake.requests("/mcp").size(), "nothing went by HTTP");
        assertEquals(1, fake.wsUpgrades.get(), "prelude and run share one connection");
    }

    @Test
    void errorEventsMarkTheRunFailedAndTheStreamGoesOnToTheEnd() throws Exception {
        Recorder recorder = new Recorder();
        fake.onStream = (socket, id, args) -> {
            JsonObject error = FakeAgbService.event("error");
            JsonObject e = new JsonObject();
            e.addProperty("code", "NameError");
            e.addProperty("message", "name 'zz' is not defined");
            e.addProperty("traceId", "t-9");
            error.add("error", e);
            socket.send(FakeAgbService.streamFrame(id, error));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "after\n")));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.end("NameError: name 'zz' is not defined")));
        };

        ExecutionResult result = session.execute(ExecutionRequest.of(Language.PYTHON, "zz"), recorder);

        assertEquals(new ExecutionError("NameError", "name 'zz' is not defined", "traceId=t-9"), result.error().get());
        assertEquals(List.of("error:NameError", "out:after\n"), recorder.events);
    }

    @Test
    void aRemoteErrorFrameAbortsTheRunKeepingItsOutputAndNamingTheInvocation() throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        fake.onStream = (socket, id, args) -> {
            ids.add(id);
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "before\n")));
            JsonObject d = new JsonObject();
            d.addProperty("phase", "error");
            d.addProperty("message", "execution failed");
            socket.send(FakeAgbService.streamFrame(id, d));
        };

        ExecutionResult result = session.execute(ExecutionRequest.of(Language.PYTHON, "x"), ExecutionListener.NONE);

        ExecutionError error = result.error().get();
        assertEquals(ExecutionError.Kind.ABORTED, error.kind());
        assertTrue(error.value().contains("execution failed") && error.value().contains(ids.get(0)), error.value());
        assertEquals(ids.get(0), result.requestId());
        assertEquals("before\n", result.logs().stdoutText());
    }

    @Test
    void aDroppedConnectionFailsThePendingRunAndTheNextRunReconnects() throws Exception {
        Recorder recorder = new Recorder();
        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "partial\n")));
            socket.close(1011, "internal error"); // the server drops the connection mid-run
        };

        AgbTransportException e = assertThrows(AgbTransportException.class,
                () -> session.execute(ExecutionRequest.of(Language.PYTHON, "long()"), recorder));
        assertTrue(e.getMessage().contains("connection closed"), e.getMessage());
        assertEquals(1, fake.userRuns().size(), "the failed run is not sent again");

        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "again\n")));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.end(null)));
        };
        ExecutionResult next = session.execute(ExecutionRequest.of(Language.PYTHON, "print('again')"),
                ExecutionListener.NONE);

        assertEquals("again\n", next.logs().stdoutText());
        assertEquals(2, fake.wsUpgrades.get());
    }

    @Test
    void aRunWithoutEndTimesOutKeepingItsOutput() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "started\n")));
            release.await(10, TimeUnit.SECONDS);
        };
        try {
            ExecutionResult result = session.execute(
                    new ExecutionRequest(Language.PYTHON, "while True: pass", Duration.ofMillis(500), false),
                    ExecutionListener.NONE);

            assertTrue(result.error().get().isTimeout(), result.toString());
            assertEquals(ExecutionError.TIMEOUT, result.error().get().name());
            assertEquals("started\n", result.logs().stdoutText());
            assertFalse(result.success());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServerTimeoutInTheEndFrameIsATimeout() throws Exception {
        fake.onStream = (socket, id, args) -> socket.send(FakeAgbService.streamFrame(id, FakeAgbService.end("TimeoutError")));

        ExecutionResult result = session.execute(ExecutionRequest.of(Language.PYTHON, "sleep()"), ExecutionListener.NONE);
        assertTrue(result.error().get().isTimeout());
    }

    @Test
    void anAbruptDropFailsThePendingRunCleanly() throws Exception {
        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "partial\n")));
            fake.server.shutdown(); // the peer disappears without a close frame
        };

        AgbTransportException e = assertThrows(AgbTransportException.class,
                () -> session.execute(ExecutionRequest.of(Language.PYTHON, "long()"), ExecutionListener.NONE));
        assertTrue(e.getMessage().contains("connection closed"), e.getMessage());
        assertEquals(fake.userRuns().get(0).getAsJsonObject("frame").get("invocationId").getAsString(), e.requestId());
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsDroppedByTheHeartbeat() throws Exception {
        try (SilentWebSocketServer silent = new SilentWebSocketServer();
             CloudBackend heartbeating = new CloudBackend(fake.config().heartbeat(Duration.ofMillis(200)).build())) {
            fake.wsUrlOverride = silent.url();
            Sandbox quiet = heartbeating.createSandbox();
            try {
                AgbTransportException e = assertThrows(AgbTransportException.class, () -> quiet.execute(
                        new ExecutionRequest(Language.JAVASCRIPT, "1", Duration.ofSeconds(30), false),
                        ExecutionListener.NONE));
                assertTrue(e.getMessage().contains("connection closed") && e.getMessage().contains("pong"),
                        e.getMessage());
                assertTrue(silent.frameReceived.await(5, TimeUnit.SECONDS), "the run frame had been sent");
            } finally {
                quiet.close();
            }
        }
    }
}
