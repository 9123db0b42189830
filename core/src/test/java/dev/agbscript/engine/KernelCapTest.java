package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.ScriptedBackend.ScriptedSandbox;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.SessionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cap on live kernels: reclaim first, then eviction of the least recently used idle session, then a wait. */
@Timeout(60)
class KernelCapTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private ScriptedBackend backend;
    private SessionManager manager;

    private void start(ScriptedBackend scripted, SessionLimits limits) {
        backend = scripted;
        manager = SessionManager.create(backend, limits);
    }

    private static SessionLimits cap(int kernels) {
        return SessionLimits.defaults().withMaxKernels(kernels);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (manager != null) {
            manager.close();
        }
    }

    private AgbScriptEngine engine() {
        return new PythonEngineFactory().getScriptEngine(manager);
    }

    /** JMeter without script caching: every sample makes an engine, and nothing ever closes one. */
    @ParameterizedTest(name = "backend reports its kernels: {0}")
    @ValueSource(booleans = {false, true})
    void aJMeterLikeRunWithANewEngineEverySampleKeepsAtMostTheCapAlive(boolean backendReports) throws Exception {
        start(backendReports ? ScriptedBackend.reportingKernels() : new ScriptedBackend(),
                cap(4).withKernelWait(Duration.ofSeconds(30)));
        int threadCount = 4;
        int iterations = 50;
        List<Future<List<Object>>> runs = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            long thread = t;
            runs.add(threads.submit(() -> {
                List<Object> results = new ArrayList<>();
                for (long i = 0; i < iterations; i++) {
                    AgbScriptEngine engine = engine();
                    Bindings bindings = new SimpleBindings(Map.of("sample", List.of(thread, i)));
                    results.add(engine.eval("print(\"sampled\")\nsample", bindings));
                }
                return results;
            }));
        }
        for (int t = 0; t < threadCount; t++) {
            List<Object> results = runs.get(t).get(50, TimeUnit.SECONDS);
            for (int i = 0; i < iterations; i++) {
                assertEquals(List.of((long) t, (long) i), results.get(i), "thread " + t + ", sample " + i);
            }
        }
        SessionStats stats = manager.stats();
        assertTrue(backend.mostKernelsAlive.get() <= 4, "kernels alive at once: " + backend.mostKernelsAlive);
        assertEquals(threadCount * iterations, backend.sandboxes.size());
        assertEquals(threadCount * iterations, stats.kernelStarts());
        assertTrue(stats.reclaims() + stats.evictions() >= threadCount * iterations - 4, stats.toString());
        assertEquals(0, stats.waitFailures());
        System.out.println("JMeter-like run, backend reports kernels " + backendReports + ": " + stats);

        Await.collectedUntil(WITHIN, () -> backend.openSandboxes() == 0 && manager.stats().kernelsLiveTotal() == 0,
                () -> backend.openSandboxes() + " sandboxes open; " + manager.stats());
    }

    @Test
    void overTheCapADroppedEnginesSessionIsReclaimedBeforeALiveOneIsEvicted() throws Exception {
        start(new ScriptedBackend(), cap(2));
        AgbScriptEngine kept = engine();
        kept.eval("x = 1");
        useOnceAndDrop();
        AgbScriptEngine third = engine();

        assertEquals(3L, third.eval("z = 3\nz"));

        SessionStats stats = manager.stats();
        assertEquals(1, stats.reclaims(), stats.toString());
        assertEquals(0, stats.evictions(), stats.toString());
        assertFalse(backend.sandboxes.get(0).closed, "the live engine's session was evicted");
        assertEquals(1L, kept.eval("x"));
    }

    private void useOnceAndDrop() throws ScriptException {
        engine().eval("y = 2");
    }

    @Test
    void overTheCapTheLeastRecentlyUsedIdleSessionIsEvictedAndItsEngineStartsAfresh() throws Exception {
        start(new ScriptedBackend(), cap(2));
        AgbScriptEngine first = engine();
        first.getContext().setBindings(new SimpleBindings(Map.of("g", 5)), ScriptContext.GLOBAL_SCOPE);
        AgbScriptEngine second = engine();
        AgbScriptEngine third = engine();
        try (CapturedLog managerLog = new CapturedLog(SessionManager.class, Level.INFO);
                CapturedLog sessionLog = new CapturedLog(dev.agbscript.session.Session.class, Level.WARNING)) {
            first.eval("x = 1");
            second.eval("y = 2");
            assertEquals(3L, third.eval("z = 3\nz"));

            ScriptedSandbox firstSandbox = backend.sandboxes.get(0);
            assertTrue(firstSandbox.closed, "the least recently used session kept its sandbox");
            assertFalse(backend.sandboxes.get(1).closed);
            assertEquals(1, manager.stats().evictions());
            List<String> evicted = managerLog.messages(Level.INFO);
            assertEquals(1, evicted.size(), evicted.toString());
            assertTrue(evicted.get(0).startsWith("Evicted Session{private, scripted, id=scripted-0}")
                    && evicted.get(0).contains("agb.kernels.max"), evicted.get(0));

            // Its next eval runs in a new sandbox (evicting the next least recently used): the global value is
            // sent again, the variable of before is gone, and a warning says so.
            assertEquals(5L, first.eval("g"));
            AgbScriptException gone = assertThrows(AgbScriptException.class, () -> first.eval("x"));
            assertTrue(gone.getMessage().startsWith("NameError"), gone.getMessage());
            assertTrue(backend.sandboxes.get(1).closed, "the second engine's session should have made room");
            assertFalse(backend.sandboxes.get(2).closed);
            assertEquals(2, manager.stats().evictions());
            List<String> warnings = sessionLog.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("evicted after"), warnings.get(0));
        }
        assertTrue(backend.mostKernelsAlive.get() <= 2);
        java.lang.ref.Reference.reachabilityFence(second); // held throughout: made room by eviction, not reclaim
    }

    @Test
    void whenEveryKernelIsBusyANewOneFailsAfterTheWaitNamingTheSettings() throws Exception {
        start(new ScriptedBackend(), cap(1).withKernelWait(Duration.ofMillis(300)));
        AgbScriptEngine busy = engine();
        busy.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 1, ScriptContext.ENGINE_SCOPE);
        Future<?> running = threads.submit(() -> busy.eval("wait"));
        Await.until(WITHIN, () -> !backend.sandboxes.isEmpty() && backend.sandboxes.get(0).running.get() == 1,
                () -> "the first engine does not run");

        ScriptException e = assertThrows(ScriptException.class, () -> engine().eval("1"));

        assertInstanceOf(SessionException.class, e.getCause());
        assertTrue(e.getMessage().contains("agb.kernels.max") && e.getMessage().contains("agb.kernels.wait"),
                e.getMessage());
        SessionStats stats = manager.stats();
        assertEquals(1, stats.waitFailures());
        assertEquals(0, stats.evictions());
        assertEquals(1, backend.sandboxes.size(), "a sandbox was created for the refused engine");
        ExecutionTimedOut.expect(running);
    }

    @Test
    void withEvictionOffANewKernelWaitsForASlotAndGetsOneWhenAnEngineCloses() throws Exception {
        start(new ScriptedBackend(), cap(1).withEvictAfter(Optional.empty()).withKernelWait(Duration.ofSeconds(30)));
        AgbScriptEngine idle = engine();
        idle.eval("x = 1");
        Future<Object> waiting = threads.submit(() -> engine().eval("2"));
        Await.until(WITHIN, () -> manager.stats().kernelsQueued() == 1, () -> manager.stats().toString());
        assertFalse(waiting.isDone());
        assertFalse(backend.sandboxes.get(0).closed, "an idle session was evicted with eviction off");

        idle.close();

        assertEquals(2L, waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, manager.stats().slotWaits().count());
    }

    @Test
    void namedSessionsAreNeverEvicted() throws Exception {
        start(new ScriptedBackend(), cap(1).withKernelWait(Duration.ofMillis(300)));
        AgbScriptEngine shared = engine();
        shared.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        shared.eval("x = 1");

        ScriptException e = assertThrows(ScriptException.class, () -> engine().eval("1"));

        assertTrue(e.getMessage().contains("agb.kernels.max"), e.getMessage());
        assertFalse(backend.sandboxes.get(0).closed);
        assertEquals(1L, shared.eval("x"));
    }

    @Test
    void restartingALanguageFreesItsSlot() throws Exception {
        start(new ScriptedBackend(), cap(1).withKernelWait(Duration.ofSeconds(5)));
        AgbScriptEngine first = engine();
        first.eval("x = 1");
        first.restart();
        assertEquals(2L, engine().eval("2"));
        assertEquals(0, manager.stats().evictions());
        assertEquals(0, manager.stats().slotWaits().count());
    }

    @Test
    void closingTheManagerEndsTheWaitsAtOnce() throws Exception {
        start(new ScriptedBackend(), cap(1).withEvictAfter(Optional.empty()).withKernelWait(Duration.ofSeconds(50)));
        AgbScriptEngine first = engine();
        first.eval("x = 1");
        AgbScriptEngine second = engine();
        Future<Object> waiting = threads.submit(() -> second.eval("2"));
        Await.until(WITHIN, () -> manager.stats().kernelsQueued() == 1, () -> manager.stats().toString());

        manager.close();
        java.lang.ref.Reference.reachabilityFence(first); // held, so that the wait cannot end by reclaiming it

        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }

    /**
     * Parallel starts are admitted a few at a time, the rest queue: told by a backend that reports its starts, or
     * counted by the manager, for which a language's first use is its start.
     */
    @ParameterizedTest(name = "backend reports its kernels: {0}")
    @ValueSource(booleans = {false, true})
    void kernelStartsBeyondTheParallelLimitQueueAndAllComplete(boolean backendReports) throws Exception {
        start(backendReports ? ScriptedBackend.reportingKernels() : new ScriptedBackend(),
                cap(10).withParallelStarts(2));
        Semaphore startsMayEnd = new Semaphore(0);
        backend.kernelStart = language -> startsMayEnd.acquire();
        List<Future<Object>> evals = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long n = i;
            evals.add(threads.submit(() -> engine().eval(String.valueOf(n))));
        }
        Await.until(WITHIN, () -> backend.kernelsStarting.get() == 2 && manager.stats().kernelsQueued() == 4,
                () -> backend.kernelsStarting + " starting; " + manager.stats());
        assertEquals(2, manager.stats().kernelsStarting());

        startsMayEnd.release(6);

        for (int i = 0; i < 6; i++) {
            assertEquals((long) i, evals.get(i).get(WITHIN.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(2, backend.mostKernelsStarting.get());
        SessionStats stats = manager.stats();
        assertEquals(backendReports ? 6 : 0, stats.startTimes().count(), "start times are the backend's to tell");
        assertEquals(4, stats.slotWaits().count(), stats.toString());
        assertEquals(0, stats.kernelsStarting());
        assertEquals(6, stats.kernelsLiveTotal());
    }

    /** An eval that ran to its time limit, as expected. */
    private static final class ExecutionTimedOut {
        static void expect(Future<?> run) throws InterruptedException {
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> run.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof AgbScriptException timeout && timeout.isTimeout(), e.toString());
        }
    }
}
