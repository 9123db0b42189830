package dev.agbscript.session;

import java.util.List;

/**
 * What a kernel's {@code complete_request} offers: the matches, and the range of the code they replace.
 */
public record Completions(List<String> matches, int cursorStart, int cursorEnd) {
    public static Completions none(int cursor) {
        return new Completions(List.of(), cursor, cursor);
    }

    public Completions {
        matches = List.copyOf(matches);
    }
}
