package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.ScriptedBackend.ScriptedSandbox;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import javax.script.ScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sandboxes idle past the settings are closed, one log line each; named sessions only by their own setting. */
@Timeout(30)
class IdleCloseTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Optional<Duration> SHORT = Optional.of(Duration.ofMillis(150));
    private ScriptedBackend backend = new ScriptedBackend();
    private SessionManager manager;

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void aPrivateSessionIdlePastTheSettingIsClosedWithOneLineAndItsEngineCarriesOn() throws Exception {
        manager = SessionManager.create(backend, SessionLimits.defaults().withPrivateIdle(SHORT));
        AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
        try (CapturedLog log = new CapturedLog(SessionManager.class, Level.INFO)) {
            engine.eval("x = 1");
            ScriptedSandbox first = backend.sandboxes.get(0);

            Await.until(WITHIN, () -> first.closed && !log.messages(Level.INFO).isEmpty(),
                    () -> "the idle sandbox is still open, or was closed unsaid");

            assertEquals(0, backend.kernelsAlive.get());
            assertEquals(1, manager.stats().idleCloses());
            List<String> lines = log.messages(Level.INFO);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("Closed Session{private, scripted, id=scripted-0} after")
                    && lines.get(0).contains("(agb.session.idle=150 ms)"), lines.get(0));
        }
        assertEquals(2L, engine.eval("2"), "the engine's next eval runs in a new sandbox");
        assertEquals(2, backend.sandboxes.size());
        assertEquals(1, manager.sessions().size(), "the session itself stays, only its sandbox closed");
    }

    @Test
    void namedSessionsAreClosedForIdlenessOnlyWhenTheirOwnSettingIsSet() throws Exception {
        manager = SessionManager.create(backend, SessionLimits.defaults().withPrivateIdle(SHORT));
        AgbScriptEngine named = new PythonEngineFactory().getScriptEngine(manager);
        named.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        named.eval("x = 1");
        AgbScriptEngine own = new PythonEngineFactory().getScriptEngine(manager);
        own.eval("y = 2");
        // The private one was used last: once it is closed, the named one has been idle longer than the setting.
        Await.until(WITHIN, () -> backend.sandboxes.get(1).closed, () -> "the private sandbox is still open");
        assertFalse(backend.sandboxes.get(0).closed, "a named session was closed by the private sessions' setting");
        assertEquals(1L, named.eval("x"));
        manager.close();

        backend = new ScriptedBackend();
        manager = SessionManager.create(backend, SessionLimits.defaults().withNamedIdle(SHORT));
        AgbScriptEngine again = new PythonEngineFactory().getScriptEngine(manager);
        again.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        again.eval("x = 1");
        Await.until(WITHIN, () -> backend.sandboxes.get(0).closed, () -> "the idle named sandbox is still open");
    }

    @Test
    void aSessionRunningCodeIsNotClosedHoweverLongItRuns() throws Exception {
        manager = SessionManager.create(backend, SessionLimits.defaults().withPrivateIdle(SHORT));
        AgbScriptEngine engine = new PythonEngineFactory().getScriptEngine(manager);
        engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 0.6, ScriptContext.ENGINE_SCOPE);
        engine.eval("x = 1");
        ScriptedSandbox sandbox = backend.sandboxes.get(0);

        AgbScriptException timedOut = org.junit.jupiter.api.Assertions.assertThrows(AgbScriptException.class,
                () -> engine.eval("wait")); // four times the idle time, running

        assertTrue(timedOut.isTimeout());
        assertFalse(sandbox.closed, "the sandbox was closed while its code ran");
        assertEquals(1L, engine.eval("x"));
        assertEquals(0, manager.stats().idleCloses());
    }
}
