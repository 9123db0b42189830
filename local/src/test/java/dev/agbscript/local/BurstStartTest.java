package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionLimits;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.SessionStats;
import dev.agbscript.testing.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight engines started at once on a machine kept busy (issue 10, item 6: all eight used to fail their fixed 8 s
 * start timeout on a loaded 2-core machine): the starts are admitted two at a time, so the burst slows down instead of
 * failing, and each start's timeout counts from its own turn.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BurstStartTest {
    private static final int ENGINES = 8;
    private static final int AT_ONCE = 2;

    @TempDir
    Path sessionsDir;

    @Test
    void eightEnginesStartedAtOnceOnABusyMachineAllRun() throws Exception {
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread burner = new Thread(() -> {
                long x = 0;
                while (busy.get()) {
                    x += System.nanoTime() % 7; // keeps a processor busy
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "busy-" + i);
            burner.setDaemon(true);
            burner.start();
            burners.add(burner);
        }
        Language[] languages = {Language.PYTHON, Language.R, Language.JAVASCRIPT, Language.JAVA};
        ExecutorService pool = Executors.newFixedThreadPool(ENGINES);
        LocalBackend backend = new LocalBackend(sessionsDir, 1); // the warm pool on, its default size
        SessionManager manager = SessionManager.create(backend, SessionLimits.defaults().withParallelStarts(AT_ONCE));
        try (manager) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < ENGINES; i++) {
                Language language = languages[i % languages.length];
                AgbScriptEngine engine = Kernels.factory(language).getScriptEngine(manager);
                answers.add(pool.submit(() -> {
                    go.await();
                    return engine.eval("1 + 1");
                }));
            }
            go.countDown();
            for (Future<Object> answer : answers) {
                assertEquals(2L, ((Number) answer.get(240, TimeUnit.SECONDS)).longValue());
            }
        } finally {
            busy.set(false);
            pool.shutdownNow();
        }
        // Read once the manager is closed, when the pool starts no more: its starts (after the burst) count too.
        SessionStats stats = manager.stats();
        assertEquals(ENGINES - backend.pool().handedOut() + backend.pool().started(), stats.kernelStarts(),
                stats.toString());
        assertEquals(0, stats.waitFailures(), stats.toString());
        assertTrue(stats.slotWaits().count() >= ENGINES - AT_ONCE, "the others waited for a turn: " + stats);
    }
}
