package dev.agbscript.session;

import java.time.Duration;
import java.util.Objects;

/**
 * One piece of code to run in one language of a session.
 *
 * @param timeout how long the code may run; on expiry the kernel is interrupted and the result carries a
 *                {@link ExecutionError#TIMEOUT} error
 * @param silent  true for housekeeping code (bindings, reading variables, calls from the host): no history and no
 *                execution count, but results and outputs still come back
 */
public record ExecutionRequest(Language language, String code, Duration timeout, boolean silent) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
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
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public static ExecutionRequest of(Language language, String code) {
        return new ExecutionRequest(language, code, DEFAULT_TIMEOUT, false);
    }

    public ExecutionRequest withTimeout(Duration newTimeout) {
        return new ExecutionRequest(language, code, newTimeout, silent);
    }
}
