package dev.agbscript.local;

import dev.agbscript.session.KernelLease;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Language;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.Settings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warm pool of one {@link LocalBackend}: kernels started ahead of need, each in a sandbox of its own with default
 * options (its own folders, no mounts, the default limits), prelude loaded and warmed up ({@link KernelSpec#warmUp()}),
 * never used. A new sandbox with default options takes one for its first kernel ({@link #take}), with its folders, so
 * that its first run costs only the run; a kernel is handed out once, then it is that sandbox's alone.
 *
 * <p>A language's pool fills only once this process has used the language ({@link #take} or {@link #use}), and is
 * refilled in the background, one start at a time, after each hand-out. Pooled kernels hold slots of the manager's
 * {@link KernelSlots} like any kernel: they are started with {@link KernelSlots#tryAcquire} only (a pool never waits,
 * collects or evicts), and given back through {@link KernelSlots#onShortage} before any session is evicted. They are
 * stopped at {@link #close()} (the manager's close and the JVM's exit).
 *
 * <p>Sizes: {@value #SIZE} ({@code AGB_POOL_SIZE}), default {@value #DEFAULT_SIZE}, per language
 * {@code agb.pool.size.python} ({@code AGB_POOL_SIZE_PYTHON}) and so on; 0 turns it off.
 */
final class KernelPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelPool.class.getName());
    static final String SIZE = "agb.pool.size";
    static final int DEFAULT_SIZE = 1;
    /** How long after a hand-out the refill starts at the latest, when the kernel's first request takes long. */
    private static final long REFILL_FALLBACK_MILLIS = 1000;
    /** How long a refill that found no free slot waits before it looks again. */
    private static final long NO_SLOT_RETRY_MILLIS = 1000;
    /** How long a refill whose start failed waits before it tries again. */
    private static final long FAILURE_RETRY_MILLIS = 10_000;

    /** A ready kernel and the folders it runs in. */
    record Pooled(LocalSandbox.Room room, KernelManager kernel) {}

    private final Map<Language, Integer> sizes;
    private final java.nio.file.Path parent;
    private final boolean sandboxed;
    private final Map<Language, ArrayDeque<Pooled>> ready = new EnumMap<>(Language.class);
    /** Kernels being started for the pool now, to be stopped if it closes meanwhile. */
    private final Set<KernelManager> starting = new HashSet<>();
    private final Set<Language> used = EnumSet.noneOf(Language.class);
    private final ScheduledThreadPoolExecutor starter;
    private ScheduledFuture<?> scheduledFill;
    private long handedOut;
    private long started;
    private volatile KernelSlots slots;
    private boolean closed;

    KernelPool(java.nio.file.Path parent, boolean sandboxed, Map<Language, Integer> sizes) {
        this.parent = parent;
        this.sandboxed = sandboxed;
        this.sizes = new EnumMap<>(sizes);
        for (Language language : Language.values()) {
            ready.put(language, new ArrayDeque<>());
        }
        starter = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "agb-kernel-pool");
            thread.setDaemon(true);
            return thread;
        });
        starter.setRemoveOnCancelPolicy(true);
        starter.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The sizes the settings give: {@value #SIZE} for every language, {@code agb.pool.size.<language>} for one. */
    static Map<Language, Integer> sizesFromSettings() {
        int all = size(SIZE, "AGB_POOL_SIZE", DEFAULT_SIZE);
        Map<Language, Integer> sizes = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            sizes.put(language, size(SIZE + "." + language.id(),
                    "AGB_POOL_SIZE_" + language.id().toUpperCase(java.util.Locale.ROOT), all));
        }
        return sizes;
    }

    /** The same size for every language. */
    static Map<Language, Integer> sizes(int each) {
        Map<Language, Integer> sizes = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            sizes.put(language, each);
        }
        return sizes;
    }

    private static int size(String property, String variable, int otherwise) {
        long size = Settings.number(property, variable, otherwise);
        if (size < 0 || size > 64) {
            throw new IllegalArgumentException("The setting " + property + " (" + variable
                    + ") must be between 0 and 64; it is " + size);
        }
        return (int) size;
    }

    /** The pool's size for the language (0: none). */
    int size(Language language) {
        return sizes.get(language);
    }

    /** Starts to work with the manager's slots: until then (a backend used without a manager) it holds nothing. */
    void useSlots(KernelSlots slots) {
        this.slots = slots;
        slots.onShortage(this::releaseOne);
    }

    /**
     * A ready kernel of the language for a new sandbox, taken out of the pool for good, or empty; the language counts
     * as used from now on. The caller calls {@link #refill()} once the kernel answered its first request.
     */
    Optional<Pooled> take(Language language) {
        List<Pooled> dead = new ArrayList<>();
        Pooled taken = null;
        synchronized (this) {
            if (closed || slots == null || size(language) == 0) {
                return Optional.empty();
            }
            used.add(language);
            ArrayDeque<Pooled> queue = ready.get(language);
            while (taken == null && !queue.isEmpty()) {
                Pooled next = queue.poll();
                if (next.kernel().isRunning()) {
                    taken = next;
                    handedOut++;
                } else {
                    dead.add(next);
                }
            }
            reportSize(language);
            schedule(taken == null ? 0 : REFILL_FALLBACK_MILLIS);
        }
        dead.forEach(KernelPool::discard);
        return Optional.ofNullable(taken);
    }

    /** A sandbox starts a kernel of the language without the pool: the language counts as used, its pool fills. */
    void use(Language language) {
        synchronized (this) {
            if (closed || slots == null || size(language) == 0 || !used.add(language)) {
                return;
            }
            schedule(0);
        }
    }

    /** Fills the pool now (a hand-out's first request returned). */
    synchronized void refill() {
        schedule(0);
    }

    /** Ready kernels of the language now. */
    synchronized int readyCount(Language language) {
        return ready.get(language).size();
    }

    /** Kernels handed out so far. */
    synchronized long handedOut() {
        return handedOut;
    }

    /** Kernel starts for the pool so far (slots it took), those that failed or were stopped at close included. */
    synchronized long started() {
        return started;
    }

    /** The process ids (bwrap's, in a sandbox) of the kernels the pool holds or starts now, for tests. */
    synchronized Set<Long> processIds() {
        Set<Long> pids = new HashSet<>();
        ready.values().forEach(queue -> queue.forEach(p -> pids.add(p.kernel().processId())));
        starting.forEach(kernel -> pids.add(kernel.processId()));
        pids.remove(-1L);
        return pids;
    }

    /**
     * Waits until the pool holds that many ready kernels of the language, for tests and the benchmark.
     *
     * @return false when they were not there within the timeout
     */
    synchronized boolean awaitReady(Language language, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.get(language).size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Runs {@link #fill} after the delay, unless it is scheduled sooner already. */
    private void schedule(long delayMillis) {
        if (closed) {
            return;
        }
        if (scheduledFill != null && !scheduledFill.isDone()) {
            if (scheduledFill.getDelay(TimeUnit.MILLISECONDS) <= delayMillis) {
                return;
            }
            scheduledFill.cancel(false);
        }
        scheduledFill = starter.schedule(this::fill, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts kernels, one at a time, until every used language's pool is full or no slot is free. */
    private void fill() {
        while (true) {
            Language language;
            synchronized (this) {
                if (closed) {
                    return;
                }
                language = wanting();
                if (language == null) {
                    return;
                }
            }
            Optional<KernelLease> lease = slots.tryAcquire(language);
            if (lease.isEmpty()) {
                synchronized (this) {
                    schedule(NO_SLOT_RETRY_MILLIS); // every slot is taken or wanted: look again later
                }
                return;
            }
            synchronized (this) {
                started++;
            }
            if (!startOne(language, lease.get())) {
                synchronized (this) {
                    schedule(FAILURE_RETRY_MILLIS);
                }
                return;
            }
        }
    }

    /** The used language whose pool lacks most, or null. */
    private Language wanting() {
        Language most = null;
        int mostMissing = 0;
        for (Language language : used) {
            int missing = size(language) - ready.get(language).size() - startingCount(language);
            if (missing > mostMissing) {
                most = language;
                mostMissing = missing;
            }
        }
        return most;
    }

    private int startingCount(Language language) {
        return (int) starting.stream().filter(k -> k.language() == language).count();
    }

    /** Starts and warms one kernel with its lease; false when it failed. */
    private boolean startOne(Language language, KernelLease lease) {
        String id = "local-" + UUID.randomUUID().toString().substring(0, 8);
        LocalSandbox.Room room;
        KernelManager kernel;
        try {
            room = LocalSandbox.Room.create(id, parent, SandboxOptions.DEFAULTS, sandboxed, slots);
            kernel = new KernelManager(KernelSpecs.forLanguage(language), room.place(), id + "-" + language.id());
        } catch (RuntimeException e) {
            lease.close();
            LOG.log(Level.WARNING, "Cannot prepare a " + language.displayName() + " kernel for the warm pool", e);
            return false;
        }
        synchronized (this) {
            if (closed) {
                lease.close();
                room.delete();
                return true;
            }
            starting.add(kernel);
        }
        long began = System.nanoTime();
        try {
            kernel.startAhead(lease);
        } catch (RuntimeException e) {
            boolean wasClosed;
            synchronized (this) {
                starting.remove(kernel);
                wasClosed = closed;
                notifyAll();
            }
            kernel.stopAll();
            lease.close();
            room.delete();
            if (!wasClosed) {
                LOG.log(Level.WARNING, "A " + language.displayName() + " kernel for the warm pool did not start; the"
                        + " pool tries again in " + FAILURE_RETRY_MILLIS / 1000 + " s", e);
            }
            return wasClosed;
        }
        boolean keep;
        synchronized (this) {
            starting.remove(kernel);
            keep = !closed;
            if (keep) {
                ready.get(language).add(new Pooled(room, kernel));
                reportSize(language);
            }
            notifyAll();
        }
        if (!keep) {
            discard(new Pooled(room, kernel));
            lease.close();
        } else {
            LOG.fine(() -> "Warm pool: a " + language.displayName() + " kernel is ready after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        }
        return true;
    }

    private void reportSize(Language language) {
        KernelSlots current = slots;
        if (current != null) {
            current.poolSize(language, ready.get(language).size());
        }
    }

    /**
     * A start waits for a slot: stops the pool's oldest ready kernel and frees its slot (for {@link
     * KernelSlots#onShortage}); false when the pool holds none.
     */
    private boolean releaseOne() {
        Pooled victim = null;
        synchronized (this) {
            for (Language language : Language.values()) {
                Pooled first = ready.get(language).poll();
                if (first != null) {
                    victim = first;
                    reportSize(language);
                    break;
                }
            }
        }
        if (victim == null) {
            return false;
        }
        discard(victim);
        LOG.fine(() -> "Warm pool: gave a kernel back to make room for a session's");
        return true;
    }

    /** Stops the kernel (its lease closes as its process exits) and deletes its folders. */
    private static void discard(Pooled pooled) {
        try {
            pooled.kernel().stopAll(); // its slot is free when this returns
        } finally {
            pooled.room().delete();
        }
    }

    /** Stops every kernel of the pool, those starting too, and waits until they are gone. Idempotent. */
    @Override
    public void close() {
        List<Pooled> toStop = new ArrayList<>();
        List<KernelManager> toAbort;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ready.forEach((language, queue) -> {
                toStop.addAll(queue);
                queue.clear();
                reportSize(language);
            });
            toAbort = new ArrayList<>(starting);
            notifyAll();
        }
        starter.shutdown();
        toAbort.forEach(KernelManager::stopAll);
        toStop.parallelStream().forEach(KernelPool::discard);
        try {
            // A start under way fails at once now that its process is killed; its thread then cleans up.
            if (!starter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("The warm pool's starting thread did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
