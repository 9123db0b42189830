package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the loopback service: the stream falls back to HTTP when it cannot be opened, sessions are kept
 * alive while idle and not after close, a gone session is recreated on every route, and no session is
 * left running on any of these paths.
 */
class CloudLifecycleTest {
    private FakeAgbService fake;
    private SessionManager manager;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        fake.onRun = args -> FakeAgbService.newFormat(List.of("{\"text/plain\":\"ran\",\"isMainResult\":true}"),
                List.of(args.get("code").getAsString() + "\n"), List.of(), null);
    }

    @AfterEach
    void stop() throws Exception {
        if (manager != null) {
            manager.close();
            assertEquals(List.of(), fake.leaked(), "every session this client created was released");
        }
        fake.close();
    }

    private Session session(CloudConfig config) {
        manager = SessionManager.create(new CloudBackend(config));
        return manager.newSession();
    }

    private List<String> userCodes() {
        return fake.userRuns().stream().map(a -> a.get("code").getAsString()).toList();
    }

    private List<RecordedRequest> runsOf(String sessionId) {
        return fake.requests("/mcp").stream()
                .filter(r -> r.getBody().clone().readUtf8().contains("\"" + sessionId + "\"")).toList();
    }

    // ---- stream fallback ----

    @Test
    void aRefusedUpgradeFallsBackToHttpOnceForTheSession() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        fake.upgradeStatus = 403; // the session is fine; the upgrade is not allowed through
        try (LogCapture log = new LogCapture()) {
            Session s = session(fake.config().build());

            ExecutionResult first = s.execute(Language.PYTHON, "a = 1");
            ExecutionResult second = s.execute(Language.PYTHON, "a");

            assertTrue(first.success() && second.success());
            assertEquals("a\n", second.logs().stdoutText());
            assertEquals(List.of("a = 1", "a"), userCodes(), "each code ran once");
            assertEquals(1, fake.wsUpgrades.get(), "the fallback is remembered for the session");
            assertEquals(1, log.warnings.stream().filter(w -> w.contains("over HTTP from now on")).count(),
                    log.warnings.toString());
        }
    }

    @Test
    void aBlockedUpgradeFallsBackToo() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        try (ServerSocket closed = new ServerSocket(0)) {
            fake.wsUrlOverride = "ws://127.0.0.1:" + closed.getLocalPort() + "/ws";
        } // nothing listens there now: the connection is refused, no HTTP status
        Session s = session(fake.config().build());

        assertTrue(s.execute(Language.PYTHON, "print(1)").success());
        assertEquals(List.of("print(1)"), userCodes());
    }

    @Test
    void withStreamOnARefusedUpgradeFails() {
        fake.routes = FakeAgbService.Routes.STREAM;
        fake.upgradeStatus = 403;
        Session s = session(fake.config().stream(CloudConfig.StreamMode.ON).build());

        AgbTransportException e = assertThrows(AgbTransportException.class, () -> s.execute(Language.JAVA, "1"));
        assertTrue(e.getMessage().contains("rejected: HTTP 403"), e.getMessage());
        assertEquals(403, e.httpStatus());
        assertEquals(List.of(), userCodes(), "nothing ran");
    }

    @Test
    void withStreamOffNoUpgradeIsTried() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        Session s = session(fake.config().stream(CloudConfig.StreamMode.OFF).build());

        assertTrue(s.execute(Language.PYTHON, "1").success());
        assertEquals(0, fake.wsUpgrades.get());
    }

    @Test
    void aConnectionLostAfterTheRunFrameIsNotRunAgainOverHttp() {
        fake.routes = FakeAgbService.Routes.STREAM;
        fake.onStream = (socket, id, args) -> socket.close(1011, "internal error");
        Session s = session(fake.config().build());

        assertThrows(AgbTransportException.class, () -> s.execute(Language.PYTHON, "x = 1"));
        assertEquals(List.of("x = 1"), userCodes());
        assertEquals(List.of(), fake.requests("/mcp"), "no fallback once the frame was sent");
    }

    // ---- keep-alive ----

    @Test
    void keepAliveRefreshesWhileIdleAndStopsAtClose() throws Exception {
        CloudConfig config = fake.config().keepAlive(Duration.ofMillis(50)).build();
        Session idle = session(config);
        idle.execute(Language.JAVA, "1");
        String id = idle.id().orElseThrow();

        FakeAgbService.await("three refreshes while idle", () -> fake.refreshes(id).size() >= 3);
        assertEquals(List.of(), fake.requests("/mcp/getSessionInfo"), "status polling is not the keep-alive");

        idle.close(); // returns with no refresh in flight
        int afterClose = fake.refreshes(id).size();
        Session probe = manager.newSession();
        probe.execute(Language.JAVA, "1");
        String probeId = probe.id().orElseThrow();
        // The probe's refreshes run on the same scheduler thread at the same interval: three of them span
        // more than two intervals, in which a leftover task of the closed session would have run.
        FakeAgbService.await("three probe refreshes", () -> fake.refreshes(probeId).size() >= 3);
        assertEquals(afterClose, fake.refreshes(id).size(), "no keep-alive after close");
    }

    /** An attached session lives on after close, so any leftover refresh would be seen (and succeed). */
    @Test
    void keepAliveOfAnAttachedSessionStopsAtCloseWhileTheSessionLivesOn() throws Exception {
        fake.sessions.put("s-kept", "RUNNING");
        Session attached = session(fake.config().keepAlive(Duration.ofMillis(50)).sessionId("s-kept").build());
        attached.execute(Language.JAVA, "1");
        FakeAgbService.await("three refreshes while idle", () -> fake.refreshes("s-kept").size() >= 3);

        attached.close();
        int afterClose = fake.refreshes("s-kept").size();
        // The probe is a new session of its own (this manager's sessions would attach to s-kept too) at the same
        // interval: three of its refreshes span more than two intervals, in which a leftover refresh would show.
        try (SessionManager probes = SessionManager.create(new CloudBackend(
                fake.config().keepAlive(Duration.ofMillis(50)).build()))) {
            Session probe = probes.newSession();
            probe.execute(Language.JAVA, "1");
            String probeId = probe.id().orElseThrow();
            assertNotEquals("s-kept", probeId);
            FakeAgbService.await("three probe refreshes", () -> fake.refreshes(probeId).size() >= 3);
        }

        assertEquals(afterClose, fake.refreshes("s-kept").size(), "no keep-alive after close");
        assertTrue(fake.alive("s-kept"), "attached, so not released");
        assertEquals(List.of(), fake.requests("/mcp/releaseSessionAsync").stream()
                .filter(r -> r.getBody().clone().readUtf8().contains("s-kept")).toList());
        fake.sessions.remove("s-kept");
    }

    @Test
    void keepAliveStopsWhenTheServiceReclaimedTheSessionAndTheNextRunReplacesItFirst() throws Exception {
        CloudConfig config = fake.config().keepAlive(Duration.ofMillis(50)).build();
        Session s = session(config);
        s.execute(Language.JAVA, "1");
        String id = s.id().orElseThrow();
        FakeAgbService.await("a refresh", () -> !fake.refreshes(id).isEmpty());

        fake.expire(id);
        int before = fake.refreshes(id).size();
        FakeAgbService.await("the refresh that finds it gone", () -> fake.refreshes(id).size() > before);
        Session probe = manager.newSession();
        probe.execute(Language.JAVA, "1");
        String probeId = probe.id().orElseThrow();
        FakeAgbService.await("a probe refresh", () -> !fake.refreshes(probeId).isEmpty());
        int stopped = fake.refreshes(id).size();
        int probeBase = fake.refreshes(probeId).size();
        FakeAgbService.await("two more probe refreshes", () -> fake.refreshes(probeId).size() >= probeBase + 2);
        assertEquals(stopped, fake.refreshes(id).size(), "no keep-alive for a reclaimed session");

        int runsBefore = runsOf(id).size();
        assertTrue(s.execute(Language.JAVA, "2").success());
        assertNotEquals(id, s.id().orElseThrow());
        assertEquals(runsBefore, runsOf(id).size(), "the reclaimed session was not tried again");
    }

    // ---- recreation on every route ----

    @Test
    void apiRouteRecreates() throws Exception {
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "x = 1");
        String first = s.id().orElseThrow();
        fake.expire(first);

        assertTrue(s.execute(Language.PYTHON, "y = 2").success());
        assertNotEquals(first, s.id().orElseThrow());
        assertEquals(List.of("x = 1", "y = 2"), userCodes());
    }

    @Test
    void linkRouteRecreates() throws Exception {
        fake.routes = FakeAgbService.Routes.LINK;
        try (LogCapture log = new LogCapture()) {
            Session s = session(fake.config().build());
            s.execute(Language.PYTHON, "x = 1");
            String first = s.id().orElseThrow();
            fake.expire(first); // its link answers 404 from now on

            ExecutionResult result = s.execute(Language.PYTHON, "y = 2");

            assertTrue(result.success());
            String second = s.id().orElseThrow();
            assertNotEquals(first, second);
            assertEquals(List.of("x = 1", "y = 2"), userCodes(), "y = 2 ran once, in the new session");
            assertTrue(log.warnings.stream().anyMatch(w -> w.contains(first) && w.contains(second)
                    && w.contains("state of Python was lost")), log.warnings.toString());
        }
        assertEquals(0, fake.requests("/mcp").size(), "every run went by the LinkUrl route");
    }

    @Test
    void streamRouteRecreatesWhenTheStatusIsFinishEvenThoughGetSessionAnswers() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "x = 1");
        String first = s.id().orElseThrow();
        fake.sessions.put(first, "FINISH"); // still known to getSession, but ended
        fake.sockets.remove(first).close(1001, "session released");
        assertTrue(fake.closedStreams.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "the client saw it close");

        assertTrue(s.execute(Language.PYTHON, "y = 2").success());
        assertNotEquals(first, s.id().orElseThrow());
        assertEquals(List.of("x = 1", "y = 2"), userCodes());
        assertEquals(0, fake.requests("/mcp").size(), "no HTTP fallback for a gone session: a new stream");
    }

    @Test
    void aNotFoundThatIsNotAboutTheSessionIsNotExpiry() throws Exception {
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "1");
        fake.onApiRunBody = () -> "{\"success\":false,\"code\":\"InvalidParameter\",\"message\":\"file not found\","
                + "\"requestId\":\"req-file\"}";

        AgbApiException e = assertThrows(AgbApiException.class, () -> s.execute(Language.PYTHON, "open('x')"));

        assertEquals("req-file", e.requestId());
        assertEquals(1, fake.created.size(), "no new session, nothing ran twice");
    }

    @Test
    void restartReleasesTheOldSession() throws Exception {
        Session s = session(fake.config().build());
        s.execute(Language.PYTHON, "1");
        String first = s.id().orElseThrow();

        s.restart(Language.PYTHON);
        s.execute(Language.PYTHON, "2");

        assertNotEquals(first, s.id().orElseThrow());
        assertEquals(first, JsonParser.parseString(fake.requests("/mcp/releaseSessionAsync").get(0).getBody().clone()
                .readUtf8()).getAsJsonObject().get("sessionId").getAsString());
    }

    @Test
    void theServiceFailingANewSessionAtOnceIsReportedNotLooped() {
        Session s = session(fake.config().build());
        fake.server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
                return r.getRequestUrl().encodedPath().equals("/mcp") ? FakeAgbService.notFound() : fake.dispatch(r);
            }
        });

        AgbApiException e = assertThrows(AgbApiException.class,
                () -> s.execute(ExecutionRequest.of(Language.JAVA, "1"), ExecutionListener.NONE));
        assertTrue(e.isSessionNotFound());
        assertEquals(2, fake.created.size(), "one replacement, then the service's answer");
        fake.server.setDispatcher(fake);
    }
}
