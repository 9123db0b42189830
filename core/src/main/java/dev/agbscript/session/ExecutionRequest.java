package dev.agbscript.session;

import java.time.Duration;
import java.util.Objects;

/**
 * One piece of code to run in one language of a session.
 *
 * @param timeout how long the code may run; on expiry the kernel is interrupted and the result carries a
 *                {@link ExecutionError.Kind#TIMEOUT} error. {@link Duration#ZERO} means no limit, and so does any
 *                limit of a century or more ({@link #hasTimeout()} is then false): deadlines never overflow
 * @param silent  true for housekeeping code (bindings, reading variables, calls from the host): no history and no
 *                execution count, but results and outputs still come back
 */
public record ExecutionRequest(Language language, String code, Duration timeout, boolean silent) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** What "no limit" is stored as: longer than any run, short enough for deadline arithmetic in nanoseconds. */
    public static final Duration NO_TIMEOUT = Duration.ofDays(36_500);
    /** Code larger than this is refused before it is sent: it is a mistake, not a program. */
    public static final int MAX_CODE_CHARS = 16 * 1024 * 1024;

    public ExecutionRequest {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(code, "code must not be null");
        Objects.requireNonNull(timeout, "timeout");
        if (code.length() > MAX_CODE_CHARS) {
            throw new IllegalArgumentException("code is " + code.length() + " characters; the limit is "
                    + MAX_CODE_CHARS);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout cannot be negative: " + timeout);
        }
        if (timeout.isZero() || timeout.compareTo(NO_TIMEOUT) > 0) {
            timeout = NO_TIMEOUT;
        }
    }

    public static ExecutionRequest of(Language language, String code) {
        return new ExecutionRequest(language, code, DEFAULT_TIMEOUT, false);
    }

    /** False when the code may run for as long as it takes. */
    public boolean hasTimeout() {
        return timeout.compareTo(NO_TIMEOUT) < 0;
    }

    /** The {@link System#nanoTime()} by which the run must end, counted from {@code startNanos}. */
    public long deadlineNanos(long startNanos) {
        return startNanos + timeout.toNanos();
    }

    public ExecutionRequest withTimeout(Duration newTimeout) {
        return new ExecutionRequest(language, code, newTimeout, silent);
    }
}
