package dev.agbscript.session;

import java.util.List;

/** What an execution wrote to stdout and stderr, chunk by chunk as it arrived. */
public record Logs(List<String> stdout, List<String> stderr) {
    public static final Logs EMPTY = new Logs(List.of(), List.of());

    public Logs {
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }

    public String stdoutText() {
        return String.join("", stdout);
    }

    public String stderrText() {
        return String.join("", stderr);
    }

    @Override
    public String toString() {
        return "Logs{stdout=" + Texts.quote(stdoutText()) + ", stderr=" + Texts.quote(stderrText()) + "}";
    }
}
