package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The budget's own rules, without sessions. */
@Timeout(30)
class KernelBudgetTest {
    private static final SessionLimits ONE_START = SessionLimits.defaults().withMaxKernels(4).withParallelStarts(1)
            .withKernelWait(Duration.ofSeconds(20));

    @Test
    void aFirstUsesTurnEndsOnItsOwnAfterTheAssumedStartTime() throws Exception {
        KernelBudget budget = new KernelBudget(ONE_START, () -> false, event -> {}, TimeUnit.MILLISECONDS.toNanos(200));
        KernelBudget.Lease longFirstRun = budget.acquireForFirstUse(Language.PYTHON);
        long began = System.nanoTime();

        CompletableFuture<KernelLease> next = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.acquire(Language.R);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        KernelLease lease = next.get(10, TimeUnit.SECONDS); // the first run never ended its turn
        assertTrue(System.nanoTime() - began >= TimeUnit.MILLISECONDS.toNanos(200), "the turn ended early");
        assertEquals(1, budget.counts().starting(), "the second start holds the one turn");
        lease.started();
        longFirstRun.endTurn(); // late: it changes nothing
        assertEquals(0, budget.counts().starting());
        assertEquals(2, budget.counts().live().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aWarmPoolTakesOnlyFreeSlotsAndGivesThemBackBeforeAnySessionIsEvicted() throws Exception {
        AtomicInteger evictions = new AtomicInteger();
        KernelBudget budget = new KernelBudget(ONE_START.withMaxKernels(2).withParallelStarts(2), () -> {
            evictions.incrementAndGet();
            return false;
        }, event -> {});
        Deque<KernelLease> pool = new ConcurrentLinkedDeque<>();
        for (int i = 0; i < 3; i++) {
            budget.tryAcquire(Language.PYTHON).ifPresent(lease -> {
                lease.started();
                pool.add(lease);
            });
        }
        assertEquals(2, pool.size(), "the pool took more slots than there are");
        budget.onShortage(() -> {
            KernelLease idle = pool.poll();
            if (idle == null) {
                return false;
            }
            idle.close();
            return true;
        });

        KernelLease needed = budget.acquire(Language.JAVA);

        assertEquals(1, pool.size());
        assertEquals(0, evictions.get(), "a session was evicted while the pool held a spare kernel");
        assertEquals(Map.of(Language.PYTHON, 1, Language.JAVA, 1, Language.JAVASCRIPT, 0, Language.R, 0),
                budget.counts().live());
        needed.close();
    }

    @Test
    void aStartWaitingForItsTurnGivesUpNamingTheSettingAndFreesItsSlot() throws Exception {
        KernelBudget budget = new KernelBudget(ONE_START.withKernelWait(Duration.ofMillis(200)), () -> false,
                event -> {});
        KernelLease starting = budget.acquire(Language.PYTHON);

        SessionException e = assertThrows(SessionException.class, () -> budget.acquire(Language.JAVA));

        assertTrue(e.getMessage().contains("agb.kernels.starts") && e.getMessage().contains("agb.kernels.wait"),
                e.getMessage());
        assertEquals(1, budget.counts().live().get(Language.PYTHON));
        assertEquals(0, budget.counts().live().get(Language.JAVA), "the refused start kept its slot");
        assertEquals(1, budget.counts().waitFailures());
        assertEquals(1, budget.counts().starts(), "the refused start counted as one");
        starting.close();
        starting.close(); // once only
        assertEquals(0, budget.counts().live().get(Language.PYTHON));
        assertFalse(budget.counts().starting() < 0);
    }
}
