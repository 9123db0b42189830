package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session lifecycle: prelude, routes, expiry and recreation, timeouts, interruption, release. */
class CloudSandboxTest {
    private FakeAgbService fake;
    private CloudBackend backend;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        backend = new CloudBackend(fake.config().build());
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        fake.close();
    }

    private static List<String> codes(List<JsonObject> runs) {
        return runs.stream().map(a -> FakeAgbService.isPrelude(a) ? "<prelude " + a.get("language").getAsString() + ">"
                : a.get("code").getAsString()).toList();
    }

    @Test
    void thePreludeRunsOncePerLanguageBeforeTheFirstUserCode() throws Exception {
        try (Sandbox session = backend.createSandbox()) {
            session.execute(ExecutionRequest.of(Language.PYTHON, "a = 1"), ExecutionListener.NONE);
            session.execute(ExecutionRequest.of(Language.PYTHON, "a"), ExecutionListener.NONE);
            session.execute(ExecutionRequest.of(Language.JAVA, "1"), ExecutionListener.NONE);

            assertEquals(List.of("<prelude python>", "a = 1", "a", "1"), codes(fake.runs),
                    "Java has no prelude resource (its dialect writes the code itself)");
            assertEquals(Set.of(Language.PYTHON, Language.JAVA), session.runningLanguages());
            assertEquals("s-1", session.id());
        }
    }

    @Test
    void aFailingPreludeWarnsOnceAndTheCodeStillRuns() throws Exception {
        fake.failPrelude = true;
        fake.onRun = args -> FakeAgbService.newFormat(List.of("{\"text/plain\":\"2\",\"isMainResult\":true}"),
                List.of(), List.of(), null);
        try (LogCapture log = new LogCapture(); Sandbox session = backend.createSandbox()) {
            ExecutionResult first = session.execute(ExecutionRequest.of(Language.PYTHON, "1+1"), ExecutionListener.NONE);
            session.execute(ExecutionRequest.of(Language.PYTHON, "1+1"), ExecutionListener.NONE);

            assertEquals("2", first.text());
            assertEquals(1, log.warnings.stream().filter(w -> w.contains("prelude failed")).count(), log.warnings.toString());
            assertEquals(1, fake.runs.stream().filter(FakeAgbService::isPrelude).count());
        }
    }

    @Test
    void anExpiredSessionIsRecreatedWithAWarningAndThePreludeAgain() throws Exception {
        try (LogCapture log = new LogCapture(); Sandbox session = backend.createSandbox()) {
            session.execute(ExecutionRequest.of(Language.PYTHON, "x = 1"), ExecutionListener.NONE);
            String first = session.id();
            fake.expire(first);

            ExecutionResult result = session.execute(ExecutionRequest.of(Language.PYTHON, "y = 2"), ExecutionListener.NONE);

            assertTrue(result.success());
            assertNotEquals(first, session.id());
            assertTrue(fake.sessions.containsKey(session.id()));
            assertEquals(List.of("<prelude python>", "x = 1", "<prelude python>", "y = 2"), codes(fake.runs));
            assertTrue(log.warnings.stream().anyMatch(w -> w.contains(first) && w.contains(session.id())
                    && w.contains("state of Python was lost")), log.warnings.toString());
        }
    }

    @Test
    void anExpiredStreamingSessionIsRecreatedToo() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        try (LogCapture log = new LogCapture(); Sandbox session = backend.createSandbox()) {
            session.execute(ExecutionRequest.of(Language.PYTHON, "x = 1"), ExecutionListener.NONE);
            String first = session.id();
            fake.expire(first); // closes its stream; a new handshake is refused
            assertTrue(fake.closedStreams.tryAcquire(5, TimeUnit.SECONDS), "the client saw the stream close");

            ExecutionResult result = session.execute(ExecutionRequest.of(Language.PYTHON, "y = 2"), ExecutionListener.NONE);

            assertTrue(result.success());
            assertNotEquals(first, session.id());
            assertTrue(log.warnings.stream().anyMatch(w -> w.contains("state of Python was lost")), log.warnings.toString());
        }
    }

    @Test
    void theLinkRouteIsUsedWhenTheSessionOffersIt() throws Exception {
        fake.routes = FakeAgbService.Routes.LINK;
        fake.onRun = args -> FakeAgbService.newFormat(List.of(), List.of("linked\n"), List.of(), null);
        StringBuilder out = new StringBuilder();
        try (Sandbox session = backend.createSandbox()) {
            session.execute(ExecutionRequest.of(Language.PYTHON, "print('linked')"), new ExecutionListener() {
                @Override
                public void onStdout(String chunk) {
                    out.append(chunk);
                }
            });
        }
        assertEquals("linked\n", out.toString(), "a non-streamed run's output reaches the listener too");
        assertEquals(2, fake.requests.stream().filter(r -> r.getRequestUrl().encodedPath().endsWith("/callTool")).count(),
                "prelude and code");
        assertEquals(0, fake.requests("/mcp").size());
    }

    @Test
    void anHttpRunWithoutAnswerTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fake.onRun = args -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeAgbService.newFormat(List.of(), List.of(), List.of(), null);
        };
        try (Sandbox session = backend.createSandbox()) {
            ExecutionResult result = session.execute(
                    new ExecutionRequest(Language.JAVA, "while (true) {}", Duration.ofMillis(700), false),
                    ExecutionListener.NONE);

            ExecutionError error = result.error().get();
            assertEquals(ExecutionError.TIMEOUT, error.name());
            assertTrue(error.value().contains("1 s"), error.value());
            JsonObject args = fake.userRuns().get(0);
            assertEquals(1, args.get("timeout_s").getAsInt());
        } finally {
            release.countDown();
        }
    }

    @Test
    void interruptingTheCallerStopsTheWait() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fake.onRun = args -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeAgbService.newFormat(List.of(), List.of(), List.of(), null);
        };
        try (Sandbox session = backend.createSandbox()) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    outcome.complete(session.execute(ExecutionRequest.of(Language.R, "Sys.sleep(100)"),
                            ExecutionListener.NONE));
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            caller.start();
            assertTrue(running.await(5, TimeUnit.SECONDS));
            caller.interrupt();

            assertTrue(outcome.get(5, TimeUnit.SECONDS) instanceof InterruptedException, String.valueOf(outcome.get()));
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeReleasesTheSessionAndWaitsForTheService() throws Exception {
        Sandbox session = backend.createSandbox();
        String id = session.id();
        session.close();
        session.close(); // idempotent

        assertFalse(fake.sessions.containsKey(id));
        assertEquals(1, fake.requests("/mcp/releaseSessionAsync").size());
        assertTrue(fake.requests("/mcp/getSessionInfo").size() >= 1);
        assertThrows(IllegalStateException.class,
                () -> session.execute(ExecutionRequest.of(Language.PYTHON, "1"), ExecutionListener.NONE));
    }

    @Test
    void theManagerReleasesItsCloudSessionsOnClose() throws Exception {
        SessionManager manager = SessionManager.create(backend);
        Session a = manager.newSession();
        Session b = manager.session("shared");
        a.execute(Language.PYTHON, "1");
        b.execute(Language.PYTHON, "2");
        assertEquals(2, fake.sessions.size());

        manager.close();

        assertTrue(fake.sessions.isEmpty(), fake.sessions.toString());
        assertEquals(2, fake.requests("/mcp/releaseSessionAsync").size());
    }

    @Test
    void restartReplacesTheWholeAgbSession() throws Exception {
        try (Sandbox session = backend.createSandbox()) {
            session.execute(ExecutionRequest.of(Language.PYTHON, "x = 1"), ExecutionListener.NONE);
            String first = session.id();

            session.restart(Language.PYTHON);

            assertNotEquals(first, session.id());
            assertEquals(1, fake.requests("/mcp/releaseSessionAsync").size());
            assertTrue(session.runningLanguages().isEmpty());
            assertFalse(session.interrupt(Language.PYTHON), "the service has no interrupt");
            session.execute(ExecutionRequest.of(Language.PYTHON, "x"), ExecutionListener.NONE);
            assertEquals(2, fake.runs.stream().filter(FakeAgbService::isPrelude).count());
        }
    }

    @Test
    void otherApiErrorsAreNotMistakenForExpiry() throws Exception {
        try (Sandbox session = backend.createSandbox()) {
            fake.server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
                @Override
                public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r) {
                    return FakeAgbService.json(200, "{\"success\":false,\"code\":\"Throttling\",\"message\":"
                            + "\"too many requests\",\"requestId\":\"req-thr\"}");
                }
            });
            AgbApiException e = assertThrows(AgbApiException.class,
                    () -> session.execute(ExecutionRequest.of(Language.JAVA, "1"), ExecutionListener.NONE));
            assertEquals("Throttling", e.code());
            assertEquals("req-thr", e.requestId());
            fake.server.setDispatcher(fake);
        }
    }
}
