package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What SDK users have beyond running code: attach by id ({@code agb.get}), metrics, session info. */
class CloudBackendApiTest {
    private FakeAgbService fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        fake.sessions.put("s-existing", "RUNNING");
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    @Test
    void anEngineSessionAttachesToAnExistingAgbSessionAndLeavesItRunning() throws Exception {
        try (EngineRun run = new EngineRun(fake, fake.config().sessionId("s-existing").build())) {
            assertEquals(null, run.eval("x = 1").error());
            assertEquals(List.of(), fake.created, "attached, none created");
            assertTrue(fake.requests("/mcp").stream().allMatch(r -> r.getBody().clone().readUtf8()
                    .contains("s-existing")));
        }
        assertTrue(fake.alive("s-existing"), "not released at close");
        assertEquals(List.of(), fake.requests("/mcp/releaseSessionAsync"));
    }

    @Test
    void anAttachedSessionIsReleasedWhenAsked() {
        try (EngineRun run = new EngineRun(fake, fake.config().sessionId("s-existing").releaseAttached(true).build())) {
            run.eval("x = 1");
        }
        assertEquals(1, fake.requests("/mcp/releaseSessionAsync").size());
        assertTrue(!fake.alive("s-existing"));
    }

    @Test
    void attachingToAMissingSessionFailsClearly() {
        try (EngineRun run = new EngineRun(fake, fake.config().sessionId("s-missing").build())) {
            EngineRun.Outcome o = run.eval("1");
            AgbApiException e = assertInstanceOf(AgbApiException.class, o.error().getCause());
            assertTrue(e.isSessionNotFound());
        }
        assertEquals(List.of(), fake.created);
    }

    @Test
    void attachingToAnEndedSessionFails() {
        fake.sessions.put("s-ended", "FINISH");
        try (EngineRun run = new EngineRun(fake, fake.config().sessionId("s-ended").build())) {
            assertTrue(run.eval("1").error().getMessage().contains("FINISH"));
        }
    }

    @Test
    void metricsOfASession() throws Exception {
        try (CloudBackend backend = new CloudBackend(fake.config().build())) {
            SessionMetrics m = backend.metrics("s-existing");
            assertEquals(2, m.cpuCount());
            assertEquals(12.5, m.cpuUsedPct());
            assertEquals(4096, m.memTotal());
            assertEquals(1.5, m.rxRateKBytePerS(), "read under its older spelling rx_rate_kbps");
            assertEquals(2.5, m.txRateKBytePerS(), "tx_rate_KBps");
            assertEquals(30, m.rxUsedKByte());
            assertEquals(40, m.txUsedKByte());
            assertEquals("2026-01-01T00:00:00Z", m.timestamp());
        }
    }

    @Test
    void getSessionAndItsAbsence() throws Exception {
        try (CloudBackend backend = new CloudBackend(fake.config().build())) {
            assertEquals("RUNNING", backend.getSession("s-existing").status());
            AgbApiException e = assertThrows(AgbApiException.class, () -> backend.getSession("s-nope"));
            assertTrue(e.isSessionNotFound());
        }
    }

    @Test
    void theAgbSessionIdOfAnEngineSessionIsItsId() throws Exception {
        SessionManager manager = SessionManager.create(new CloudBackend(fake.config().build()));
        try {
            Session s = manager.newSession();
            s.execute(Language.JAVA, "1");
            assertEquals(fake.created.get(0), s.id().orElseThrow());
        } finally {
            manager.close();
        }
    }
}
