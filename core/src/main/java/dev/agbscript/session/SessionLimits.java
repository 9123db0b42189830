package dev.agbscript.session;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How many kernels a {@link SessionManager} keeps alive, and when it closes sessions on its own. Read from the
 * settings (system property, else environment variable) when the manager is created:
 *
 * <table>
 * <caption>settings</caption>
 * <tr><td>{@value #MAX_KERNELS} / {@code AGB_KERNELS_MAX}</td><td>live kernels at most (default: the machine's
 * physical memory / 300 MiB, between 2 and 128)</td></tr>
 * <tr><td>{@value #KERNEL_WAIT} / {@code AGB_KERNELS_WAIT}</td><td>how long a new kernel waits for a slot (and
 * for its turn to start) before the run fails (default 60 s)</td></tr>
 * <tr><td>{@value #PARALLEL_STARTS} / {@code AGB_KERNELS_STARTS}</td><td>kernels starting at once; the others
 * queue (default: the number of processors, at least 2)</td></tr>
 * <tr><td>{@value #EVICT_AFTER} / {@code AGB_KERNELS_EVICT}</td><td>how long a private session must have been
 * idle before it may be evicted to make room for a new kernel; {@code off}: never (default 0: any idle one)</td></tr>
 * <tr><td>{@value #PRIVATE_IDLE} / {@code AGB_SESSION_IDLE}</td><td>close a private session's sandbox after this
 * long idle (default off)</td></tr>
 * <tr><td>{@value #NAMED_IDLE} / {@code AGB_SESSION_IDLE_NAMED}</td><td>the same for named sessions (default
 * off)</td></tr>
 * </table>
 *
 * @param maxKernels     live kernels at most, counted over the manager's sessions
 * @param kernelWait     how long a kernel start waits for a slot and its turn, then fails
 * @param parallelStarts kernel starts at once; the others queue
 * @param evictAfter     the least time idle before a private session may be evicted; empty: never evict
 * @param privateIdle    idle time after which a private session's sandbox is closed; empty: never
 * @param namedIdle      idle time after which a named session's sandbox is closed; empty: never
 */
public record SessionLimits(int maxKernels, Duration kernelWait, int parallelStarts, Optional<Duration> evictAfter,
        Optional<Duration> privateIdle, Optional<Duration> namedIdle) {
    public static final String MAX_KERNELS = "agb.kernels.max";
    public static final String KERNEL_WAIT = "agb.kernels.wait";
    public static final String PARALLEL_STARTS = "agb.kernels.starts";
    public static final String EVICT_AFTER = "agb.kernels.evict";
    public static final String PRIVATE_IDLE = "agb.session.idle";
    public static final String NAMED_IDLE = "agb.session.idle.named";

    /** What one kernel is budgeted in memory for the default cap: an IPython kernel with pandas is ~150 MiB. */
    static final long KERNEL_MEMORY = 300L << 20;
    static final int DEFAULT_MAX_FLOOR = 2;
    static final int DEFAULT_MAX_CEILING = 128;
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    public SessionLimits {
        if (maxKernels < 1) {
            throw new IllegalArgumentException(MAX_KERNELS + " must be at least 1, not " + maxKernels);
        }
        if (parallelStarts < 1) {
            throw new IllegalArgumentException(PARALLEL_STARTS + " must be at least 1, not " + parallelStarts);
        }
        Objects.requireNonNull(kernelWait, "kernelWait");
        if (kernelWait.isNegative()) {
            throw new IllegalArgumentException(KERNEL_WAIT + " cannot be negative");
        }
        Objects.requireNonNull(evictAfter, "evictAfter");
        Objects.requireNonNull(privateIdle, "privateIdle");
        Objects.requireNonNull(namedIdle, "namedIdle");
    }

    /** The limits the settings give, read now. */
    public static SessionLimits fromSettings() {
        return new SessionLimits(
                intSetting(MAX_KERNELS, "AGB_KERNELS_MAX", defaultMaxKernels()),
                Settings.duration(KERNEL_WAIT, "AGB_KERNELS_WAIT", Optional.of(DEFAULT_WAIT))
                        .orElse(ExecutionRequest.NO_TIMEOUT),
                intSetting(PARALLEL_STARTS, "AGB_KERNELS_STARTS", defaultParallelStarts()),
                Settings.duration(EVICT_AFTER, "AGB_KERNELS_EVICT", Optional.of(Duration.ZERO)),
                Settings.duration(PRIVATE_IDLE, "AGB_SESSION_IDLE", Optional.empty()),
                Settings.duration(NAMED_IDLE, "AGB_SESSION_IDLE_NAMED", Optional.empty()));
    }

    /** The defaults, whatever the settings say. */
    public static SessionLimits defaults() {
        return new SessionLimits(defaultMaxKernels(), DEFAULT_WAIT, defaultParallelStarts(), Optional.of(Duration.ZERO),
                Optional.empty(), Optional.empty());
    }

    /** The machine's physical memory (the container's limit in a container) over {@link #KERNEL_MEMORY}. */
    static int defaultMaxKernels() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        if (memory <= 0) {
            return 16; // a JVM that cannot tell: a cap that a laptop holds
        }
        return (int) Math.max(DEFAULT_MAX_FLOOR, Math.min(DEFAULT_MAX_CEILING, memory / KERNEL_MEMORY));
    }

    /** Starting a kernel is mostly CPU work (imports, a JVM's start): about one per processor at once. */
    static int defaultParallelStarts() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private static int intSetting(String property, String variable, int defaultValue) {
        long value = Settings.number(property, variable, defaultValue);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("The setting " + property + " (" + variable + ") must be at least 1;"
                    + " it is " + value);
        }
        return (int) value;
    }

    public SessionLimits withMaxKernels(int max) {
        return new SessionLimits(max, kernelWait, parallelStarts, evictAfter, privateIdle, namedIdle);
    }

    public SessionLimits withKernelWait(Duration wait) {
        return new SessionLimits(maxKernels, wait, parallelStarts, evictAfter, privateIdle, namedIdle);
    }

    public SessionLimits withParallelStarts(int starts) {
        return new SessionLimits(maxKernels, kernelWait, starts, evictAfter, privateIdle, namedIdle);
    }

    /** Empty: never evict. */
    public SessionLimits withEvictAfter(Optional<Duration> idle) {
        return new SessionLimits(maxKernels, kernelWait, parallelStarts, idle, privateIdle, namedIdle);
    }

    public SessionLimits withPrivateIdle(Optional<Duration> idle) {
        return new SessionLimits(maxKernels, kernelWait, parallelStarts, evictAfter, idle, namedIdle);
    }

    public SessionLimits withNamedIdle(Optional<Duration> idle) {
        return new SessionLimits(maxKernels, kernelWait, parallelStarts, evictAfter, privateIdle, idle);
    }
}
