package dev.agbscript.session;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@link SessionManager} holds and has done, at one moment ({@link SessionManager#stats()}).
 *
 * @param backend         the backend's name
 * @param sessionsOpen    sessions open (with or without a sandbox)
 * @param kernelsLive     kernels holding a slot, by language (only languages with one or more)
 * @param kernelsMax      the cap, {@value SessionLimits#MAX_KERNELS}
 * @param kernelsStarting kernels starting now (turns held)
 * @param kernelsQueued   kernel starts waiting now for a slot or a turn
 * @param poolSizes       ready kernels in the backend's warm pool, by language, as the backend reports them
 * @param startTimes      kernel start times as the backend reports them ({@link KernelLease#started()})
 * @param kernelStarts    slots ever taken: one per kernel start the manager knows of
 * @param slotWaits       time spent waiting for a slot or a turn, by kernel starts that had to wait
 * @param waitFailures    kernel starts that gave up after {@value SessionLimits#KERNEL_WAIT}
 * @param reclaims        sessions closed because their engines became unreachable
 * @param evictions       idle sessions whose sandbox was closed to make room for a new kernel
 * @param idleCloses      sessions whose sandbox was closed after {@value SessionLimits#PRIVATE_IDLE} or
 *                        {@value SessionLimits#NAMED_IDLE}
 * @param evals           latency of the host's runs of code ({@link Session#execute}, the engine's housekeeping
 *                        left out), from the call to its result, waiting and kernel start included
 */
public record SessionStats(String backend, int sessionsOpen, Map<Language, Integer> kernelsLive, int kernelsMax,
        int kernelsStarting, int kernelsQueued, Map<Language, Integer> poolSizes, long kernelStarts, Percentiles startTimes,
        Percentiles slotWaits, long waitFailures, long reclaims, long evictions, long idleCloses, Percentiles evals) {

    public SessionStats {
        kernelsLive = immutable(kernelsLive);
        poolSizes = immutable(poolSizes);
    }

    /** Kernels holding a slot, all languages together. */
    public int kernelsLiveTotal() {
        return kernelsLive.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Percentiles of durations (nearest rank) over the last {@code samples} of {@code count} measured.
     */
    public record Percentiles(long count, int samples, Duration p50, Duration p90, Duration p99) {
        public static final Percentiles NONE = new Percentiles(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        @Override
        public String toString() {
            return count == 0 ? "none" : count + " (p50 " + millis(p50) + ", p90 " + millis(p90) + ", p99 "
                    + millis(p99) + ")";
        }
    }

    /** One line, for logs and the REPL's {@code /session}. */
    @Override
    public String toString() {
        return "sessions " + sessionsOpen + ", kernels " + kernelsLiveTotal() + "/" + kernelsMax + perLanguage(kernelsLive)
                + ", starting " + kernelsStarting + ", queued " + kernelsQueued
                + (poolSizes.isEmpty() ? "" : ", pool" + perLanguage(poolSizes))
                + ", starts " + kernelStarts + ", start times " + startTimes
                + ", waits " + slotWaits + (waitFailures > 0 ? " (" + waitFailures + " gave up)" : "")
                + ", reclaims " + reclaims + ", evictions " + evictions + ", idle closes " + idleCloses
                + ", evals " + evals;
    }

    private static String perLanguage(Map<Language, Integer> counts) {
        return counts.isEmpty() ? "" : counts.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String millis(Duration duration) {
        double ms = duration.toNanos() / 1e6;
        return ms >= 100 ? Math.round(ms) + " ms" : String.format(java.util.Locale.ROOT, "%.1f ms", ms);
    }

    private static Map<Language, Integer> immutable(Map<Language, Integer> counts) {
        Map<Language, Integer> copy = new EnumMap<>(Language.class);
        counts.forEach((language, n) -> {
            if (n != null && n > 0) {
                copy.put(language, n);
            }
        });
        return java.util.Collections.unmodifiableMap(copy);
    }
}
