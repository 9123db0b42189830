package dev.agbscript.cloud;

import java.time.Duration;

/** Delays between attempts as the SDK spaces its reconnects: start, then ×1.5 each time, at most 5 s. */
final class Backoff {
    private static final Duration MAX = Duration.ofSeconds(5);
    private Duration next;

    Backoff(Duration first) {
        this.next = first;
    }

    Duration next() {
        Duration current = next;
        Duration grown = Duration.ofMillis(current.toMillis() * 3 / 2);
        next = grown.compareTo(MAX) > 0 ? MAX : grown;
        return current;
    }
}
