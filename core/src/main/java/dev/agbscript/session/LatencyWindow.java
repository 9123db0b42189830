package dev.agbscript.session;

import java.time.Duration;
import java.util.Arrays;

/** The last {@value #SIZE} durations of something, for percentiles that follow the recent load in fixed memory. */
final class LatencyWindow {
    static final int SIZE = 1024;

    private final long[] nanos = new long[SIZE];
    private long count;

    synchronized void add(long durationNanos) {
        nanos[(int) (count % SIZE)] = Math.max(0, durationNanos);
        count++;
    }

    synchronized SessionStats.Percentiles percentiles() {
        int samples = (int) Math.min(count, SIZE);
        if (samples == 0) {
            return SessionStats.Percentiles.NONE;
        }
        long[] sorted = Arrays.copyOf(nanos, samples);
        Arrays.sort(sorted);
        return new SessionStats.Percentiles(count, samples, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99));
    }

    /** Nearest rank: the smallest sample with at least p percent of the samples at or below it. */
    private static Duration rank(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return Duration.ofNanos(sorted[Math.max(0, index)]);
    }
}
