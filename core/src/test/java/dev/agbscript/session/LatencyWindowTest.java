package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    @Test
    void percentilesAreNearestRankOverTheSamples() {
        LatencyWindow window = new LatencyWindow();
        assertEquals(SessionStats.Percentiles.NONE, window.percentiles());
        for (int ms = 100; ms >= 1; ms--) {
            window.add(Duration.ofMillis(ms).toNanos());
        }
        assertEquals(new SessionStats.Percentiles(100, 100, Duration.ofMillis(50), Duration.ofMillis(90),
                Duration.ofMillis(99)), window.percentiles());
    }

    @Test
    void onlyTheLatestSamplesCountButEveryOneIsCounted() {
        LatencyWindow window = new LatencyWindow();
        for (int i = 0; i < 1000; i++) {
            window.add(Duration.ofSeconds(1).toNanos());
        }
        for (int i = 0; i < LatencyWindow.SIZE; i++) {
            window.add(Duration.ofMillis(1).toNanos());
        }
        SessionStats.Percentiles p = window.percentiles();
        assertEquals(1000 + LatencyWindow.SIZE, p.count());
        assertEquals(LatencyWindow.SIZE, p.samples());
        assertEquals(Duration.ofMillis(1), p.p99());
    }
}
