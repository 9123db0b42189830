package dev.agbscript.session;

import java.util.Objects;

/**
 * Why an execution failed: what {@link Kind} of failure, its name ({@code ZeroDivisionError}, or ours such
 * as {@code TimeoutError}), its value (the message), the traceback text without terminal colors, and the line
 * and column in the submitted code where known ({@code -1} otherwise).
 */
public record ExecutionError(Kind kind, String name, String value, String traceback, int line, int column) {
    /** What failed. Callers branch on this, never on the name, which is the language's or the service's. */
    public enum Kind {
        /** The code raised an error while it ran. */
        CODE,
        /** The code did not compile or parse: it never ran. */
        SYNTAX,
        /** The code ran past its time limit and was interrupted. */
        TIMEOUT,
        /** The caller interrupted the run (a thread interrupt, Ctrl-C). */
        INTERRUPTED,
        /** The kernel exited while running the code; its state is lost. */
        KERNEL_DIED,
        /** The kernel or the service refused to run the code, or dropped it. */
        ABORTED,
        /** A limit of agb-script or of the sandbox was reached; the message names the setting that raises it. */
        LIMIT
    }

    /** The name a timeout carries. */
    public static final String TIMEOUT = "TimeoutError";
    /** The name an interrupted run carries. */
    public static final String INTERRUPTED = "InterruptedError";
    /** The name a run carries whose kernel died. */
    public static final String KERNEL_DIED = "KernelDiedError";
    /** The name an aborted run carries. */
    public static final String ABORTED = "Aborted";
    /** The name a run carries that reached a limit. */
    public static final String LIMIT = "LimitError";

    public ExecutionError {
        Objects.requireNonNull(kind, "kind");
        name = Objects.requireNonNullElse(name, "Error");
        value = Objects.requireNonNullElse(value, "");
        traceback = Objects.requireNonNullElse(traceback, "");
    }

    /** An error the code raised, with no position. */
    public ExecutionError(String name, String value, String traceback) {
        this(Kind.CODE, name, value, traceback, -1, -1);
    }

    public static ExecutionError timeout(String message) {
        return new ExecutionError(Kind.TIMEOUT, TIMEOUT, message, "", -1, -1);
    }

    public static ExecutionError interrupted(String message) {
        return new ExecutionError(Kind.INTERRUPTED, INTERRUPTED, message, "", -1, -1);
    }

    public static ExecutionError kernelDied(String message) {
        return new ExecutionError(Kind.KERNEL_DIED, KERNEL_DIED, message, "", -1, -1);
    }

    public static ExecutionError aborted(String message) {
        return new ExecutionError(Kind.ABORTED, ABORTED, message, "", -1, -1);
    }

    public static ExecutionError limit(String message) {
        return new ExecutionError(Kind.LIMIT, LIMIT, message, "", -1, -1);
    }

    public boolean isTimeout() {
        return kind == Kind.TIMEOUT;
    }

    /** True for a syntax or compile error: the code never ran. */
    public boolean syntax() {
        return kind == Kind.SYNTAX;
    }

    /** {@code Name: value}, or just the name when there is no value. */
    public String message() {
        return value.isEmpty() ? name : name + ": " + value;
    }

    @Override
    public String toString() {
        return "ExecutionError{" + kind + ", " + message() + (line > 0 ? ", line " + line : "") + "}";
    }
}
