package dev.agbscript.session;

import java.util.Objects;

/**
 * An error raised by the executed code, as the kernel reports it: its name ({@code ZeroDivisionError}),
 * its value (the message), the traceback text without terminal colors, and the line and column in the
 * submitted code where known ({@code -1} otherwise).
 *
 * @param syntax true for a syntax or compile error (the code never ran), false for a runtime error
 */
public record ExecutionError(String name, String value, String traceback, int line, int column, boolean syntax) {
    /** The name the result carries when an execution exceeded its time limit. */
    public static final String TIMEOUT = "TimeoutError";
    /** The name the result carries when the caller's thread was interrupted. */
    public static final String INTERRUPTED = "InterruptedError";

    public ExecutionError {
        name = Objects.requireNonNullElse(name, "Error");
        value = Objects.requireNonNullElse(value, "");
        traceback = Objects.requireNonNullElse(traceback, "");
    }

    public ExecutionError(String name, String value, String traceback) {
        this(name, value, traceback, -1, -1, false);
    }

    public boolean isTimeout() {
        return TIMEOUT.equals(name);
    }

    /** {@code Name: value}, or just the name when there is no value. */
    public String message() {
        return value.isEmpty() ? name : name + ": " + value;
    }

    @Override
    public String toString() {
        return "ExecutionError{" + message() + (line > 0 ? ", line " + line : "") + (syntax ? ", syntax" : "") + "}";
    }
}
