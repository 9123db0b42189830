package dev.agbscript.session;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The kernel slots of one {@link SessionManager}: at most {@link SessionLimits#maxKernels()} leases at once, at most
 * {@link SessionLimits#parallelStarts()} of them starting. A start over the cap first asks the JVM for a garbage
 * collection, so that dropped engines' sessions are reclaimed, waits briefly for those reclaims, then has the
 * manager evict an idle session, and otherwise waits for a slot until {@link SessionLimits#kernelWait()}.
 */
final class KernelBudget implements KernelSlots {
    /** At most one requested collection per interval: a full collection of a big heap takes a while. */
    static final long GC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long the reclaims a collection causes are awaited before an idle session is evicted instead. */
    static final long RECLAIM_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often a waiter looks again for an evictable session: sessions become idle without telling. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * How long a start is assumed to take at most when the backend does not say when it ends: the turn of a first
     * use ends then even if the first run goes on, so that a long first run does not hold up other starts.
     */
    static final long ASSUMED_START_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Frees slots by closing the sandbox of an idle session. */
    interface Evictor {
        /** Closes the sandbox of the least recently used evictable session; false when there is none. */
        boolean evictOne();
    }

    /** Told after every change of the leases, for the manager's debug log. */
    interface Observer {
        void changed(String event);
    }

    private final SessionLimits limits;
    private final Evictor evictor;
    private final Observer observer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int[] live = new int[Language.values().length];
    private final int[] pool = new int[Language.values().length];
    private final LatencyWindow startTimes = new LatencyWindow();
    private final LatencyWindow waits = new LatencyWindow();
    /** How the backend gives back slots it holds without need (a warm pool), asked before sessions are evicted. */
    private final List<BooleanSupplier> spares =
            new CopyOnWriteArrayList<>();
    /** Leases whose turn ends on its own at a deadline (the manager's first uses). */
    private final List<Lease> expiringTurns = new ArrayList<>();
    private int liveTotal;
    private int starting;
    /** Starts waiting for a slot or a turn now. */
    private int queued;
    /** Sessions being closed now: their slots are about to be freed, so a waiter waits rather than evict. */
    private int freeing;
    private long lastGcNanos;
    private boolean collected;
    private long starts;
    private long waitFailures;
    private boolean closed;

    private final long assumedStartNanos;

    KernelBudget(SessionLimits limits, Evictor evictor, Observer observer) {
        this(limits, evictor, observer, ASSUMED_START_NANOS);
    }

    KernelBudget(SessionLimits limits, Evictor evictor, Observer observer, long assumedStartNanos) {
        this.limits = limits;
        this.evictor = evictor;
        this.observer = observer;
        this.assumedStartNanos = assumedStartNanos;
    }

    SessionLimits limits() {
        return limits;
    }

    @Override
    public KernelLease acquire(Language language) throws InterruptedException {
        return acquire(language, 0);
    }

    /**
     * For the manager's own counting, which cannot tell when a start ends: the slot and a turn for a language's first
     * use, which starts its kernel; the turn ends when that use returns ({@link Lease#endTurn()}) or after
     * {@link #ASSUMED_START_NANOS}, whichever comes first.
     */
    Lease acquireForFirstUse(Language language) throws InterruptedException {
        return acquire(language, assumedStartNanos);
    }

    /** @param turnLimitNanos how long the turn lasts at most; 0: until {@link Lease#started()} */
    private Lease acquire(Language language, long turnLimitNanos) throws InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + limits.kernelWait().toNanos();
        boolean waited = false;
        Lease lease;
        lock.lockInterruptibly();
        try {
            while (liveTotal >= limits.maxKernels()) {
                checkOpen();
                if (!waited) {
                    waited = true;
                    queued++;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    waitFailures++;
                    throw new SessionException(noSlot(language));
                }
                if (freeing > 0) {
                    changed.awaitNanos(Math.min(deadline - now, POLL_NANOS));
                } else if (!collected || now - lastGcNanos >= GC_INTERVAL_NANOS) {
                    collected = true;
                    lastGcNanos = now;
                    lock.unlock();
                    try {
                        System.gc(); // engines the host dropped become unreachable only to a collection
                    } finally {
                        lock.lock();
                    }
                } else if (now - lastGcNanos < RECLAIM_GRACE_NANOS) {
                    changed.awaitNanos(Math.min(deadline - now, lastGcNanos + RECLAIM_GRACE_NANOS - now));
                } else if (!releaseSpare() && !tryEvict()) {
                    changed.awaitNanos(Math.min(deadline - now, POLL_NANOS));
                }
            }
            checkOpen();
            liveTotal++;
            live[language.ordinal()]++;
            while (true) {
                long now = System.nanoTime();
                long untilExpiry = expireTurns(now);
                if (starting < limits.parallelStarts()) {
                    break;
                }
                if (!waited) {
                    waited = true;
                    queued++;
                }
                if (closed || now - deadline >= 0) {
                    liveTotal--;
                    live[language.ordinal()]--;
                    changed.signalAll();
                    checkOpen();
                    waitFailures++;
                    throw new SessionException(noTurn(language));
                }
                try {
                    changed.awaitNanos(Math.min(deadline - now, untilExpiry));
                } catch (InterruptedException e) {
                    liveTotal--;
                    live[language.ordinal()]--;
                    changed.signalAll();
                    throw e;
                }
            }
            starting++;
            starts++;
            long now = System.nanoTime();
            if (waited) {
                waits.add(now - begin);
            }
            lease = new Lease(language, now, turnLimitNanos == 0 ? 0 : now + turnLimitNanos);
            if (turnLimitNanos != 0) {
                expiringTurns.add(lease);
            }
        } finally {
            if (waited) {
                queued--;
            }
            lock.unlock();
        }
        observer.changed("kernel slot taken (" + language.id() + ")");
        return lease;
    }

    /** Ends the turns past their deadline; the time until the next deadline (at most a long time). */
    private long expireTurns(long now) {
        long next = Long.MAX_VALUE;
        for (Iterator<Lease> it = expiringTurns.iterator(); it.hasNext(); ) {
            Lease lease = it.next();
            if (!lease.holdsTurn) {
                it.remove();
            } else if (now - lease.turnEndsBy >= 0) {
                lease.endTurnLocked();
                it.remove();
            } else {
                next = Math.min(next, lease.turnEndsBy - now);
            }
        }
        return next;
    }

    @Override
    public Optional<KernelLease> tryAcquire(Language language) {
        Lease lease;
        lock.lock();
        try {
            long now = System.nanoTime();
            expireTurns(now);
            if (closed || queued > 0 || liveTotal >= limits.maxKernels() || starting >= limits.parallelStarts()) {
                return Optional.empty();
            }
            liveTotal++;
            live[language.ordinal()]++;
            starting++;
            starts++;
            lease = new Lease(language, now, 0);
        } finally {
            lock.unlock();
        }
        observer.changed("kernel slot taken (" + language.id() + ", ahead of need)");
        return Optional.of(lease);
    }

    @Override
    public void onShortage(BooleanSupplier releaseOne) {
        spares.add(Objects.requireNonNull(releaseOne));
    }

    /** Asks the backend for a slot it holds without need, with the lock released (it closes a lease). */
    private boolean releaseSpare() {
        if (spares.isEmpty()) {
            return false;
        }
        lock.unlock();
        try {
            for (BooleanSupplier spare : spares) {
                if (spare.getAsBoolean()) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.lock();
        }
    }

    /** Asks the manager to evict, with the lock released (closing a sandbox takes a while). */
    private boolean tryEvict() {
        if (limits.evictAfter().isEmpty()) {
            return false;
        }
        lock.unlock();
        try {
            return evictor.evictOne();
        } finally {
            lock.lock();
        }
    }

    private String noSlot(Language language) {
        return "No kernel slot for a new " + language.displayName() + " kernel within " + seconds() + ": "
                + liveTotal + " kernels are live, the most " + SessionLimits.MAX_KERNELS + " (AGB_KERNELS_MAX) allows,"
                + " and no session could be evicted (each is running code, is named, or is idle for less than "
                + SessionLimits.EVICT_AFTER + "). Raise " + SessionLimits.MAX_KERNELS + ", or "
                + SessionLimits.KERNEL_WAIT + " to wait longer, or close engines that are done";
    }

    private String noTurn(Language language) {
        return "No turn to start a new " + language.displayName() + " kernel within " + seconds() + ": " + starting
                + " kernels were starting, the most " + SessionLimits.PARALLEL_STARTS + " (AGB_KERNELS_STARTS)"
                + " allows. Raise " + SessionLimits.PARALLEL_STARTS + ", or " + SessionLimits.KERNEL_WAIT
                + " (AGB_KERNELS_WAIT) to wait longer";
    }

    private String seconds() {
        return limits.kernelWait().toMillis() / 1000.0 + " s (" + SessionLimits.KERNEL_WAIT + ")";
    }

    private void checkOpen() {
        if (closed) {
            throw new SessionException("The session manager is closed: no kernel can start");
        }
    }

    @Override
    public void poolSize(Language language, int kernels) {
        lock.lock();
        try {
            pool[language.ordinal()] = Math.max(0, kernels);
        } finally {
            lock.unlock();
        }
    }

    /** A session is being closed: waiters wait for its slots rather than evict another. */
    void beginFreeing() {
        lock.lock();
        try {
            freeing++;
        } finally {
            lock.unlock();
        }
    }

    void endFreeing() {
        lock.lock();
        try {
            freeing--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waiters fail at once; leases may still be closed. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The counts now, taken together. */
    Counts counts() {
        lock.lock();
        try {
            return new Counts(byLanguage(live), starting, queued, byLanguage(pool), starts, waitFailures);
        } finally {
            lock.unlock();
        }
    }

    SessionStats.Percentiles startTimes() {
        return startTimes.percentiles();
    }

    SessionStats.Percentiles waits() {
        return waits.percentiles();
    }

    record Counts(Map<Language, Integer> live, int starting, int queued, Map<Language, Integer> pool, long starts,
            long waitFailures) {}

    private static Map<Language, Integer> byLanguage(int[] counts) {
        Map<Language, Integer> map = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            map.put(language, counts[language.ordinal()]);
        }
        return map;
    }

    final class Lease implements KernelLease {
        private final Language language;
        private final long turnBegan;
        /** When the turn ends on its own; 0: only by {@link #started()} or {@link #close()}. */
        private final long turnEndsBy;
        private boolean holdsTurn = true;
        private boolean started;
        private boolean closed;

        private Lease(Language language, long turnBegan, long turnEndsBy) {
            this.language = language;
            this.turnBegan = turnBegan;
            this.turnEndsBy = turnEndsBy;
        }

        /** The first use that started the kernel returned: the next start may begin (no start time is known). */
        void endTurn() {
            lock.lock();
            try {
                endTurnLocked();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void started() {
            lock.lock();
            try {
                if (closed || started) {
                    return;
                }
                started = true;
                startTimes.add(System.nanoTime() - turnBegan);
                endTurnLocked();
            } finally {
                lock.unlock();
            }
            observer.changed("kernel started (" + language.id() + ")");
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                endTurnLocked();
                liveTotal--;
                live[language.ordinal()]--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            observer.changed("kernel slot freed (" + language.id() + ")");
        }

        private void endTurnLocked() {
            if (holdsTurn) {
                holdsTurn = false;
                starting--;
                changed.signalAll();
            }
        }
    }
}
