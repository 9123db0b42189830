package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.SessionStats;
import dev.agbscript.testing.Kernels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.script.SimpleBindings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that make an engine per script and never close one (Ant, JMeter without script caching), on real
 * kernels: the kernel processes this JVM runs are counted, those of this test's sessions folder only.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostScaleTest {
    private static final AgbScriptEngineFactory PYTHON = Kernels.factory(Language.PYTHON);

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

    /** The live kernel processes of this test's sessions (their command line names their connection file). */
    private long kernelProcesses() {
        String folder = sessionsDir.toString();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(folder)).count();
    }

    /** Those of them that are the sessions' (not the warm pool's, held ready or starting). */
    private long sessionKernelProcesses() {
        String folder = sessionsDir.toString();
        Set<Long> pool = backend.pool().processIds();
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !pool.contains(p.pid()))
                .filter(p -> p.info().commandLine().orElse("").contains(folder)).count();
    }

    @Test
    void tenEnginesUsedOnceAndDroppedLeaveOnlyTheLiveEnginesKernelsAfterAGc() throws Exception {
        // With the warm pool on (its default size), which holds a Python kernel once the first engine ran.
        backend = new LocalBackend(sessionsDir, 1);
        int pool = backend.pool().size(Language.PYTHON);
        manager = SessionManager.create(backend, SessionLimits.defaults());
        List<AgbScriptEngine> engines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            AgbScriptEngine engine = PYTHON.getScriptEngine(manager);
            assertEquals((long) i * i, engine.eval("n = " + i + "\nn * n"));
            engines.add(engine); // held until all ran, so that no collection meanwhile reclaims one
        }
        assertEquals(10, sessionKernelProcesses());
        assertTrue(kernelProcesses() <= 10 + pool, kernelProcesses() + " kernel processes; " + manager.stats());
        List<AgbScriptEngine> kept = List.of(engines.get(3), engines.get(7));
        engines.clear(); // the host drops the other eight without closing them

        long dropped = System.nanoTime();
        awaitCollecting(Duration.ofSeconds(30), () -> sessionKernelProcesses() == 2,
                () -> kernelProcesses() + " kernel processes; " + manager.stats());
        assertTrue(kernelProcesses() <= 2 + pool, "at most the pool's and the live engines' kernels: "
                + kernelProcesses() + "; " + manager.stats());
        System.out.printf("8 dropped engines' kernels gone %d ms after the first GC; %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped), manager.stats());

        assertEquals(8, manager.stats().reclaims());
        assertEquals(3L, kept.get(0).eval("n"));
        assertEquals(7L, kept.get(1).eval("n"));
        assertEquals(2, sessionKernelProcesses());
        assertTrue(kernelProcesses() <= 2 + pool, kernelProcesses() + " kernel processes; " + manager.stats());
    }

    /** JMeter without script caching: four threads, a new engine every sample, none ever closed; the cap is four. */
    @Test
    void aJMeterLikeRunUnderACapOfFourNeverHasMoreThanFourKernels() throws Exception {
        int cap = 4;
        int threadCount = 4;
        int samples = 3;
        // One start at a time: the kernels' own start timeout (8 s) is short on a busy 2-core machine.
        // The warm pool on: its kernels count against the cap too.
        backend = new LocalBackend(sessionsDir, 1);
        manager = SessionManager.create(backend, SessionLimits.defaults().withMaxKernels(cap)
                .withParallelStarts(1).withKernelWait(Duration.ofSeconds(120)));
        AtomicInteger mostKernels = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            try {
                while (running.get()) {
                    mostKernels.accumulateAndGet((int) kernelProcesses(), Math::max);
                    Thread.sleep(5); // a sampling interval: a kernel lives for seconds
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kernel-counter");
        ExecutorService threads = Executors.newFixedThreadPool(threadCount);
        long began = System.nanoTime();
        sampler.start();
        try {
            List<Future<List<Object>>> runs = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                long thread = t;
                runs.add(threads.submit(() -> {
                    List<Object> results = new ArrayList<>();
                    for (long i = 0; i < samples; i++) {
                        AgbScriptEngine engine = PYTHON.getScriptEngine(manager);
                        results.add(engine.eval("[thread * 100 + i, sum(range(i + 1))]",
                                new SimpleBindings(Map.of("thread", thread, "i", i))));
                    }
                    return results;
                }));
            }
            for (int t = 0; t < threadCount; t++) {
                List<Object> results = runs.get(t).get(150, TimeUnit.SECONDS);
                for (int i = 0; i < samples; i++) {
                    assertEquals(List.of(t * 100L + i, (long) i * (i + 1) / 2), results.get(i),
                            "thread " + t + ", sample " + i);
                }
            }
        } finally {
            running.set(false);
            sampler.join();
            threads.shutdownNow();
        }
        manager.close(); // the pool starts no more: its counts are final
        SessionStats stats = manager.stats();
        System.out.printf("%d x %d samples under a cap of %d: %d ms, at most %d kernel processes; %s%n", threadCount,
                samples, cap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), mostKernels.get(), stats);
        assertTrue(mostKernels.get() <= cap, "kernel processes at once: " + mostKernels.get());
        assertTrue(mostKernels.get() >= 2, "the samples never ran in parallel: " + mostKernels.get());
        // Each sample's kernel was started for it or taken from the pool, whose starts count as well.
        assertEquals(threadCount * samples - backend.pool().handedOut() + backend.pool().started(), stats.kernelStarts(),
                stats.toString());
        assertEquals(0, stats.waitFailures());
    }

    private static void awaitCollecting(Duration timeout, BooleanSupplier condition,
            java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Not within " + timeout.toSeconds() + " s: " + state.get());
            }
            System.gc();
            Thread.sleep(50);
        }
    }
}
