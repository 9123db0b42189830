package dev.agbscript.session;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link SessionManager}'s budget of kernels, as a backend uses it: a slot under {@value SessionLimits#MAX_KERNELS}
 * for every kernel alive, and a turn among {@value SessionLimits#PARALLEL_STARTS} for every kernel starting. A
 * backend gets it once, in {@link Backend#useKernelSlots}, and then, for every kernel process it starts:
 *
 * <pre>{@code
 * KernelLease lease = slots.acquire(language);   // before starting it: may wait (see below), may throw
 * try {
 *     startTheKernel();                          // process, connection, prelude
 *     lease.started();                           // it answers: the next start may begin
 * } catch (RuntimeException | Error e) {
 *     lease.close();                             // the start failed: the slot is free again
 *     throw e;
 * }
 * ...
 * stopTheKernel();                               // it exited (stop, restart, death noticed, session closed)
 * lease.close();
 * }</pre>
 *
 * A kernel kept warm in a pool holds a lease like any other: the pool fills itself with {@link #tryAcquire}, so
 * that it only takes slots nobody waits for, gives them back through {@link #onShortage} when a start waits, and
 * reports its size with {@link #poolSize}.
 */
public interface KernelSlots {
    /**
     * Waits for a slot, then for a turn to start, and returns the lease of the kernel about to start. While the
     * slots are all taken it asks the JVM for a garbage collection (so that the sessions of engines the host
     * dropped are reclaimed), then evicts the least recently used idle private session, else waits. A start
     * once admitted is never cancelled: queued starts wait, running ones run to the end.
     *
     * @throws SessionException     naming {@value SessionLimits#MAX_KERNELS} and {@value SessionLimits#KERNEL_WAIT}
     *                              when no slot or turn came within the wait, or when the manager is closed
     * @throws InterruptedException when the calling thread is interrupted while it waits
     */
    KernelLease acquire(Language language) throws InterruptedException;

    /**
     * A lease at once when a slot and a turn are free and no start waits for one, else empty: it never waits,
     * collects or evicts. For kernels started ahead of need (a warm pool).
     */
    Optional<KernelLease> tryAcquire(Language language);

    /**
     * Registers how the backend gives back a slot it holds without need (an idle kernel of its warm pool): while a
     * start waits for a slot, the manager asks these before it evicts any session. The supplier stops such a kernel,
     * closes its lease and returns true, or returns false when it has none.
     */
    void onShortage(BooleanSupplier releaseOne);

    /** The backend's warm pool now holds this many ready kernels of the language (for {@link SessionStats}). */
    void poolSize(Language language, int kernels);

    /**
     * Slots that never wait and count nothing: for a backend used without a manager (its own tests), so that it
     * can always call the slots it was given.
     */
    KernelSlots UNLIMITED = new KernelSlots() {
        @Override
        public KernelLease acquire(Language language) {
            return new KernelLease() {
                @Override
                public void started() {}

                @Override
                public void close() {}
            };
        }

        @Override
        public Optional<KernelLease> tryAcquire(Language language) {
            return Optional.of(acquire(language));
        }

        @Override
        public void onShortage(BooleanSupplier releaseOne) {}

        @Override
        public void poolSize(Language language, int kernels) {}
    };
}
