package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, looking every few milliseconds: the proof is the condition, not a sleep. */
final class Await {
    private Await() {}

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        poll(timeout, condition, state, false);
    }

    /** The same, asking for a garbage collection at each look: for what becomes of unreachable objects. */
    static void collectedUntil(Duration timeout, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        poll(timeout, condition, state, true);
    }

    private static void poll(Duration timeout, BooleanSupplier condition, Supplier<String> state, boolean collect)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Not within " + timeout.toMillis() + " ms: " + state.get());
            }
            if (collect) {
                System.gc();
            }
            Thread.sleep(10);
        }
    }
}
