package dev.agbscript.session;

import java.util.List;

/**
 * What an execution wrote to stdout and stderr, chunk by chunk as it arrived, up to the limit kept per stream
 * ({@link OutputLimits#streamChars()}). Every chunk reached the listener and the writers while the code ran; past
 * the limit the chunks are not kept here, and {@code stdoutDropped}/{@code stderrDropped} say how many characters
 * were left out.
 */
public record Logs(List<String> stdout, List<String> stderr, long stdoutDropped, long stderrDropped) {
    public static final Logs EMPTY = new Logs(List.of(), List.of());

    public Logs {
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }

    public Logs(List<String> stdout, List<String> stderr) {
        this(stdout, stderr, 0, 0);
    }

    public String stdoutText() {
        return String.join("", stdout);
    }

    public String stderrText() {
        return String.join("", stderr);
    }

    /** True when part of the output was not kept (it still reached the writers). */
    public boolean truncated() {
        return stdoutDropped > 0 || stderrDropped > 0;
    }

    @Override
    public String toString() {
        return "Logs{stdout=" + Texts.quote(stdoutText()) + ", stderr=" + Texts.quote(stderrText())
                + (truncated() ? ", dropped " + stdoutDropped + "+" + stderrDropped + " chars" : "") + "}";
    }
}
