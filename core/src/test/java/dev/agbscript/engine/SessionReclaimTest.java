package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.ScriptedBackend.ScriptedSandbox;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hosts drop engines without closing them; the manager closes their private sessions on its own. */
@Timeout(60)
class SessionReclaimTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private ScriptedBackend backend;
    private SessionManager manager;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend();
        manager = SessionManager.create(backend, SessionLimits.defaults());
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void tenEnginesUsedOnceAndDroppedLeaveOnlyTheLiveEnginesSessionsAfterAGc() throws Exception {
        List<AgbScriptEngine> kept = new ArrayList<>();
        try (CapturedLog log = new CapturedLog(SessionManager.class, Level.INFO)) {
            for (int i = 0; i < 10; i++) {
                AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
                assertEquals((long) i, engine.eval("v = " + i + "\nv"));
                if (i % 3 == 0) {
                    kept.add(engine); // 0, 3, 6, 9: the host keeps these; the other six it drops unclosed
                }
            }
            assertEquals(10, backend.openSandboxes());
            assertEquals(10, backend.kernelsAlive.get());

            Await.collectedUntil(WITHIN, () -> backend.openSandboxes() == 4 && log.messages(Level.INFO).size() == 6,
                    () -> backend.openSandboxes() + " sandboxes open, " + manager.stats() + ", " + log.messages(Level.INFO));

            assertEquals(4, backend.kernelsAlive.get());
            assertEquals(4, manager.sessions().size());
            assertEquals(6, manager.stats().reclaims());
            assertEquals(6, log.messages(Level.INFO).stream().filter(m -> m.startsWith("Reclaimed")).count(),
                    log.messages(Level.INFO).toString());
        }
        for (int i = 0; i < kept.size(); i++) {
            assertEquals((long) i * 3, kept.get(i).eval("v"), "a live engine lost its session");
        }
    }

    @Test
    void theManagerKeepsNoEngineReachable() throws Exception {
        AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
        engine.put("x", 1);
        engine.eval("y = 2");
        engine.getBindings(ScriptContext.ENGINE_SCOPE).get("y");
        WeakReference<AgbScriptEngine> dropped = new WeakReference<>(engine);
        ScriptedSandbox sandbox = backend.sandboxes.get(0);
        engine = null;

        Await.collectedUntil(WITHIN, () -> dropped.get() == null, () -> "the engine is still reachable");
        Await.until(WITHIN, () -> sandbox.closed, () -> "its sandbox is still open");
        assertTrue(manager.sessions().isEmpty());
    }

    @Test
    void aClosedEngineReleasesItsSessionAtOnceAndIsNotReclaimedAgain() throws Exception {
        AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
        engine.eval("x = 1");
        engine.close();
        assertTrue(backend.sandboxes.get(0).closed);
        WeakReference<AgbScriptEngine> dropped = new WeakReference<>(engine);
        engine = null;
        Await.collectedUntil(WITHIN, () -> dropped.get() == null, () -> "the engine is still reachable");
        assertEquals(0, manager.stats().reclaims(), "a closed engine's session counted as reclaimed");
    }

    @Test
    void aNamedSessionOutlivesItsDroppedEngines() throws Exception {
        AgbScriptEngine engine = new JavaScriptEngineFactory().getScriptEngine(manager);
        engine.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        engine.eval("shared = 7");
        WeakReference<AgbScriptEngine> dropped = new WeakReference<>(engine);
        engine = null;

        Await.collectedUntil(WITHIN, () -> dropped.get() == null, () -> "the engine is still reachable");
        assertFalse(backend.sandboxes.get(0).closed, "a named session was closed with its engines");
        AgbScriptEngine later = new JavaScriptEngineFactory().getScriptEngine(manager);
        later.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        assertEquals(7L, later.eval("shared"));
        assertEquals(1, backend.sandboxes.size());
    }

    @Test
    void anEngineDroppedBeforeItsFirstEvalCreatesNothing() throws ScriptException, InterruptedException {
        AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
        engine.put("x", 1);
        WeakReference<AgbScriptEngine> dropped = new WeakReference<>(engine);
        engine = null;
        Await.collectedUntil(WITHIN, () -> dropped.get() == null, () -> "the engine is still reachable");
        assertTrue(backend.sandboxes.isEmpty());
        assertEquals(0, manager.stats().sessionsOpen());
    }
}
