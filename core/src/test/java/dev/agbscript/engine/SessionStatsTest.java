package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.SessionStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the manager tells of itself: the snapshot, and the same numbers in its debug log. */
@Timeout(30)
class SessionStatsTest {
    /** How long the scripted kernels take to start: the stimulus the start times and eval latencies must show. */
    private static final long START_MILLIS = 60;
    private final ScriptedBackend backend = ScriptedBackend.reportingKernels();
    private final SessionManager manager = SessionManager.create(backend, SessionLimits.defaults().withMaxKernels(7));

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void theSnapshotCountsSessionsKernelsStartsAndEvals() throws Exception {
        backend.kernelStart = language -> Thread.sleep(START_MILLIS);
        backend.functions.put("twice", args -> 2 * (Long) args.get(0));
        AgbScriptEngine python = new PythonEngineFactory().getScriptEngine(manager);
        AgbScriptEngine javascript = new JavaScriptEngineFactory().getScriptEngine(manager);
        assertEquals(0, manager.stats().sessionsOpen(), "a session before the first eval");

        python.eval("x = 1");
        for (int i = 0; i < 3; i++) {
            python.eval("x");
        }
        javascript.eval("y = 2");
        assertEquals(8L, python.invokeFunction("twice", 4)); // a call, not an eval: not counted among them
        backend.slots().poolSize(Language.PYTHON, 3);

        SessionStats stats = manager.stats();
        assertEquals("scripted", stats.backend());
        assertEquals(2, stats.sessionsOpen());
        assertEquals(Map.of(Language.PYTHON, 1, Language.JAVASCRIPT, 1), stats.kernelsLive());
        assertEquals(2, stats.kernelsLiveTotal());
        assertEquals(7, stats.kernelsMax());
        assertEquals(Map.of(Language.PYTHON, 3), stats.poolSizes());
        assertEquals(2, stats.kernelStarts());
        assertEquals(2, stats.startTimes().count());
        assertTrue(stats.startTimes().p50().compareTo(Duration.ofMillis(START_MILLIS)) >= 0, stats.toString());
        assertEquals(5, stats.evals().count());
        assertTrue(stats.evals().p99().compareTo(Duration.ofMillis(START_MILLIS)) >= 0,
                "a first eval's latency holds its kernel's start: " + stats);
        assertTrue(stats.evals().p50().compareTo(Duration.ofMillis(START_MILLIS)) < 0, stats.toString());
        assertEquals(0, stats.slotWaits().count());
        assertTrue(stats.toString().startsWith("sessions 2, kernels 2/7 (python 1, javascript 1), starting 0, queued 0,"
                + " pool (python 3), starts 2, start times 2 (p50 "), stats.toString());

        python.close();
        stats = manager.stats();
        assertEquals(1, stats.sessionsOpen());
        assertEquals(Map.of(Language.JAVASCRIPT, 1), stats.kernelsLive());
        assertEquals(0, stats.reclaims(), "a closed engine's session is no reclaim");
    }

    @Test
    void atDebugLevelEveryKernelStartAndStopLogsTheNumbers() throws Exception {
        try (CapturedLog log = new CapturedLog(SessionManager.class, Level.FINE)) {
            AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
            engine.eval("x = 1");
            engine.close();
            List<String> lines = log.messages(Level.FINE);
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("kernel slot taken (python): sessions 1, kernels 1/7 (python 1),"
                    + " starting 1,"), lines.get(0));
            assertTrue(lines.get(1).startsWith("kernel started (python): sessions 1, kernels 1/7 (python 1),"
                    + " starting 0,"), lines.get(1));
            assertTrue(lines.get(2).startsWith("kernel slot freed (python): sessions 0, kernels 0/7,"), lines.get(2));
            assertTrue(lines.get(2).contains("evals 1 (p50 "), lines.get(2));
        }
    }
}
