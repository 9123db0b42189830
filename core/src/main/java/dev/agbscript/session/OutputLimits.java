package dev.agbscript.session;

/**
 * How much of an execution's output a result keeps, so that a run that prints gigabytes cannot fill the host's
 * heap: the writers and listeners see every chunk as it comes, the {@link ExecutionResult} keeps at most
 * {@code streamChars} of each of stdout and stderr and says what it dropped, and a single result or display
 * larger than {@code resultChars} is refused with a {@link ExecutionError.Kind#LIMIT} error.
 *
 * <p>Settings (system property, else environment variable): {@value #STREAM_PROPERTY} / {@code AGB_OUTPUT_LIMIT}
 * (default 1 Mi characters per stream), {@value #RESULT_PROPERTY} / {@code AGB_RESULT_LIMIT} (default 64 Mi
 * characters per result, its MIME types together).
 */
public record OutputLimits(long streamChars, long resultChars) {
    public static final String STREAM_PROPERTY = "agb.output.limit";
    public static final String RESULT_PROPERTY = "agb.result.limit";
    public static final OutputLimits DEFAULT = new OutputLimits(1L << 20, 64L << 20);

    public OutputLimits {
        if (streamChars < 0 || resultChars < 0) {
            throw new IllegalArgumentException("output limits cannot be negative");
        }
    }

    /** The limits the settings give, read now. */
    public static OutputLimits fromSettings() {
        return new OutputLimits(
                Settings.number(STREAM_PROPERTY, "AGB_OUTPUT_LIMIT", DEFAULT.streamChars),
                Settings.number(RESULT_PROPERTY, "AGB_RESULT_LIMIT", DEFAULT.resultChars));
    }
}
