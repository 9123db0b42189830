package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.SessionStats;
import dev.agbscript.testing.Kernels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's warm pool ({@link KernelPool}), on real kernels: kernels started ahead of need for the languages
 * used, handed to new sessions once each, refilled, counted against the cap, gone with the manager.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolTest {
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path sessionsDir;
    private SessionManager manager;
    private LocalBackend backend;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    private void start(int poolSize, SessionLimits limits) {
        backend = new LocalBackend(sessionsDir, poolSize);
        manager = SessionManager.create(backend, limits);
    }

    private AgbScriptEngine engine(Language language) {
        return Kernels.factory(language).getScriptEngine(manager);
    }

    /** The live kernel processes of this test's sessions folder (their command line names their connection file). */
    private long kernelProcesses() {
        String folder = sessionsDir.toString();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(folder)).count();
    }

    private void awaitPool(Language language, int count) throws InterruptedException {
        assertTrue(backend.pool().awaitReady(language, count, READY),
                "the pool did not hold " + count + " " + language + " kernel(s) within " + READY + ": " + manager.stats());
    }

    /** When the kernel of the engine's session (its sandbox's) was started, as the operating system says. */
    private static Instant kernelStarted(AgbScriptEngine engine, Language language) {
        String id = engine.session().id().orElseThrow();
        LocalSandbox sandbox = LocalBackend.sandbox(id).orElseThrow();
        long pid = sandbox.kernelPids().get(language);
        return ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow();
    }

    @Test
    void aSecondEngineGetsAPooledKernelStartedBeforeIt() throws Exception {
        start(1, SessionLimits.defaults());
        assertEquals(2L, engine(Language.PYTHON).eval("1 + 1"));
        awaitPool(Language.PYTHON, 1);
        assertEquals(Map.of(Language.PYTHON, 1), manager.stats().poolSizes());
        Set<Long> pooled = backend.pool().processIds();
        assertEquals(1, pooled.size());

        Instant created = Instant.now();
        AgbScriptEngine second = engine(Language.PYTHON);
        assertEquals(42L, second.eval("x = 42\nx"));
        assertEquals(1, backend.pool().handedOut());
        assertTrue(kernelStarted(second, Language.PYTHON).isBefore(created),
                "the second engine's kernel started before the engine was created");
        assertFalse(backend.pool().processIds().containsAll(pooled), "the pooled kernel left the pool");
    }

    @Test
    void aPooledKernelServesOneSessionOnlyAndThePoolRefills() throws Exception {
        start(1, SessionLimits.defaults());
        engine(Language.PYTHON).eval("0");
        for (int i = 0; i < 3; i++) {
            awaitPool(Language.PYTHON, 1);
            AgbScriptEngine next = engine(Language.PYTHON);
            assertEquals(false, next.eval("'secret' in globals()"), "engine " + i + " sees another's state");
            next.eval("secret = " + i);
            assertEquals((long) i, next.eval("secret"));
        }
        assertEquals(3, backend.pool().handedOut());
        awaitPool(Language.PYTHON, 1); // refilled after the last hand-out
        assertEquals(4, backend.pool().started());
        SessionStats stats = manager.stats();
        assertEquals(Map.of(Language.PYTHON, 1), stats.poolSizes(), stats.toString());
        assertEquals(5, stats.kernelStarts(), "one for the first engine, four for the pool: " + stats);
    }

    @Test
    void aPooledJavaKernelIsWarmAndShowsNothingOfItsWarmUp() throws Exception {
        start(1, SessionLimits.defaults());
        engine(Language.JAVA).eval("int a = 1;");
        awaitPool(Language.JAVA, 1);
        AgbScriptEngine second = engine(Language.JAVA);
        assertEquals(2L, second.eval("1 + 1"));
        assertEquals(1, backend.pool().handedOut());
        assertThrows(ScriptException.class, () -> second.eval("_agbWarmUp"));
        assertThrows(ScriptException.class, () -> second.eval("a"));
    }

    @Test
    void noPoolForLanguagesNeverUsedAndNoneWithSizeZero() throws Exception {
        start(1, SessionLimits.defaults());
        engine(Language.R).eval("1");
        awaitPool(Language.R, 1);
        assertEquals(Map.of(Language.R, 1), manager.stats().poolSizes());
        for (Language other : Set.of(Language.PYTHON, Language.JAVA, Language.JAVASCRIPT)) {
            assertEquals(0, backend.pool().readyCount(other), other.toString());
        }
        assertEquals(2, kernelProcesses(), "the engine's kernel and one pooled R kernel");
        manager.close();

        start(0, SessionLimits.defaults());
        engine(Language.PYTHON).eval("1");
        engine(Language.PYTHON).eval("2");
        assertEquals(0, backend.pool().started());
        assertEquals(Set.of(), backend.pool().processIds());
        assertEquals(Map.of(), manager.stats().poolSizes());
        assertEquals(2, manager.stats().kernelStarts());
    }

    @Test
    void thePoolsKernelsAreGoneWhenTheManagerCloses() throws Exception {
        start(1, SessionLimits.defaults());
        engine(Language.PYTHON).eval("1");
        awaitPool(Language.PYTHON, 1);
        assertEquals(2, kernelProcesses());
        manager.close();
        assertEquals(0, kernelProcesses(), "after close");

        // Closed while the pool's kernel starts: that start is ended too.
        start(1, SessionLimits.defaults());
        engine(Language.PYTHON).eval("1");
        manager.close();
        assertEquals(0, kernelProcesses(), "after a close during the pool's start");
    }

    @Test
    void thePoolRespectsTheCapAndGivesWayToASession() throws Exception {
        start(1, SessionLimits.defaults().withMaxKernels(2));
        AgbScriptEngine first = engine(Language.PYTHON);
        first.eval("kept = 7");
        awaitPool(Language.PYTHON, 1);
        assertEquals(2, manager.stats().kernelsLiveTotal());

        // A new R kernel needs a slot: the pool gives its kernel back, no session is evicted.
        AgbScriptEngine second = engine(Language.R);
        assertEquals(3L, ((Number) second.eval("1 + 2")).longValue());
        SessionStats stats = manager.stats();
        assertTrue(stats.kernelsLiveTotal() <= 2, stats.toString());
        assertTrue(kernelProcesses() <= 2, kernelProcesses() + " kernel processes; " + stats);
        assertEquals(0, stats.evictions(), stats.toString());
        assertEquals(0, stats.waitFailures(), stats.toString());
        assertEquals(7L, first.eval("kept"));
        assertEquals(0, backend.pool().readyCount(Language.PYTHON), "no slot is free for the pool: " + stats);
    }
}
