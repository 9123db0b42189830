package dev.agbscript.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The complete outcome of one execution, mirroring the AGB SDK's {@code EnhancedCodeExecutionResult}:
 * success, rich outputs, stdout/stderr logs, the error if any, execution count and time.
 * Immutable; built by a backend through {@link Builder}.
 */
public final class ExecutionResult {
    private final boolean success;
    private final List<MimeBundle> results;
    private final Logs logs;
    private final ExecutionError error;
    private final Integer executionCount;
    private final Duration executionTime;
    private final String requestId;

    private ExecutionResult(ExecutionResult of, List<MimeBundle> results) {
        this.error = of.error;
        this.success = of.success;
        this.results = List.copyOf(results);
        this.logs = of.logs;
        this.executionCount = of.executionCount;
        this.executionTime = of.executionTime;
        this.requestId = of.requestId;
    }

    private ExecutionResult(Builder b) {
        this.error = b.error;
        this.success = b.error == null;
        this.results = List.copyOf(b.results);
        this.logs = new Logs(b.stdout.kept, b.stderr.kept, b.stdout.dropped, b.stderr.dropped);
        this.executionCount = b.executionCount;
        this.executionTime = Objects.requireNonNullElse(b.executionTime, Duration.ZERO);
        this.requestId = b.requestId;
    }

    public boolean success() { return success; }
    /** Display outputs and the main result, in the order they were produced. */
    public List<MimeBundle> results() { return results; }
    public Logs logs() { return logs; }
    public Optional<ExecutionError> error() { return Optional.ofNullable(error); }
    public OptionalInt executionCount() {
        return executionCount == null ? OptionalInt.empty() : OptionalInt.of(executionCount);
    }
    public Duration executionTime() { return executionTime; }
    /** The backend's id for this execution (a Jupyter msg_id, an AGB request or invocation id). */
    public String requestId() { return requestId; }

    /** The same execution with other outputs (what the engine keeps from the host taken out). */
    public ExecutionResult withResults(List<MimeBundle> replaced) {
        return new ExecutionResult(this, replaced);
    }

    /** The value of the last expression, if the code ended with one that has a value. */
    public Optional<MimeBundle> mainResult() {
        return results.stream().filter(MimeBundle::isMainResult).findFirst();
    }

    /** As the SDK's {@code result}: main result text, else the first result text, else stdout. */
    public String text() {
        return mainResult().map(MimeBundle::text)
                .or(() -> results.stream().map(MimeBundle::text).filter(Objects::nonNull).findFirst())
                .orElseGet(logs::stdoutText);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ExecutionResult{").append(success ? "success" : "failure");
        if (executionCount != null) s.append(", count=").append(executionCount);
        s.append(", time=").append(executionTime.toMillis()).append("ms");
        if (error != null) s.append(", error=").append(error);
        if (!results.isEmpty()) s.append(", results=").append(results);
        if (!logs.stdout().isEmpty() || !logs.stderr().isEmpty()) s.append(", logs=").append(logs);
        return s.append('}').toString();
    }

    /** A builder that keeps what the settings allow ({@link OutputLimits#fromSettings()}). */
    public static Builder builder() {
        return new Builder(OutputLimits.fromSettings());
    }

    public static Builder builder(OutputLimits limits) {
        return new Builder(limits);
    }

    /**
     * Accumulates an execution as its parts arrive; used by backends. It keeps each stream up to its limit and
     * refuses a result over the size limit (see {@link OutputLimits}). Not thread-safe.
     */
    public static final class Builder {
        private final OutputLimits limits;
        private final List<MimeBundle> results = new ArrayList<>();
        private final Stream stdout;
        private final Stream stderr;
        private ExecutionError error;
        private Integer executionCount;
        private Duration executionTime;
        private String requestId;
        private ExecutionListener listener = ExecutionListener.NONE;

        private Builder(OutputLimits limits) {
            this.limits = limits;
            this.stdout = new Stream(limits.streamChars());
            this.stderr = new Stream(limits.streamChars());
        }

        /**
         * Tells the listener of every part as it is added (all of it: the limits bound only what the result keeps),
         * so that a backend has one place for both.
         */
        public Builder listener(ExecutionListener tellAlso) {
            listener = tellAlso == null ? ExecutionListener.NONE : tellAlso;
            return this;
        }

        /**
         * Adds a display or the main result; one larger than the limit is not kept, and the execution fails with a
         * {@link ExecutionError.Kind#LIMIT} error naming the setting.
         */
        public Builder result(MimeBundle bundle) {
            listener.onResult(bundle);
            long size = bundle.size();
            if (size > limits.resultChars()) {
                error(ExecutionError.limit("A result of " + size + " characters is larger than the limit of "
                        + limits.resultChars() + " (set " + OutputLimits.RESULT_PROPERTY + " or AGB_RESULT_LIMIT to"
                        + " allow more); it was not kept"));
            } else {
                results.add(bundle);
            }
            return this;
        }

        public Builder stdout(String chunk) {
            listener.onStdout(chunk);
            stdout.add(chunk);
            return this;
        }

        public Builder stderr(String chunk) {
            listener.onStderr(chunk);
            stderr.add(chunk);
            return this;
        }

        /** The first error wins: a timeout reported after a kernel error does not hide it. */
        public Builder error(ExecutionError e) {
            if (error == null) {
                error = e;
                listener.onError(e);
            }
            return this;
        }

        /** Replaces any error: a timeout explains the interrupt error that it caused. */
        public Builder replaceError(ExecutionError e) {
            error = e;
            listener.onError(e);
            return this;
        }

        public Builder executionCount(Integer count) { executionCount = count; return this; }
        public Builder executionTime(Duration time) { executionTime = time; return this; }
        public Builder requestId(String id) { requestId = id; return this; }
        public boolean hasError() { return error != null; }
        public ExecutionResult build() { return new ExecutionResult(this); }
    }

    /** One stream's chunks, kept up to a number of characters; the rest only counted. */
    private static final class Stream {
        private final long limit;
        private final List<String> kept = new ArrayList<>();
        private long keptChars;
        private long dropped;

        Stream(long limit) {
            this.limit = limit;
        }

        void add(String chunk) {
            long room = limit - keptChars;
            if (chunk.length() <= room) {
                kept.add(chunk);
                keptChars += chunk.length();
                return;
            }
            int cut = (int) Math.max(0, room);
            if (cut > 0 && Character.isHighSurrogate(chunk.charAt(cut - 1))) {
                cut--; // never split a character
            }
            if (cut > 0) {
                kept.add(chunk.substring(0, cut));
                keptChars += cut;
            }
            dropped += chunk.length() - cut;
        }
    }
}
