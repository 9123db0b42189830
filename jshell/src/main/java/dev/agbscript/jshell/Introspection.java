package dev.agbscript.jshell;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jdk.jshell.SourceCodeAnalysis;

/** Answers for a REPL: is this code complete ({@code is_complete_request}), how may it go on ({@code complete_request}). */
final class Introspection {
    private Introspection() {}

    /** {@code complete}, {@code incomplete} or {@code invalid}, looking at every snippet of the code. */
    static String completeness(SourceCodeAnalysis analysis, String code) {
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                    return "incomplete";
                case UNKNOWN:
                    return "invalid";
                case EMPTY:
                    return "complete";
                default:
                    break;
            }
            if (info.remaining() == null || info.remaining().length() >= rest.length()) {
                break;
            }
            rest = info.remaining();
        }
        return "complete";
    }

    /** The content of a {@code complete_reply}: JShell's suggestions for the code before the cursor. */
    static JsonObject completions(SourceCodeAnalysis analysis, String code, int cursorPos) {
        int cursor = Math.max(0, Math.min(code.length(), cursorPos));
        int[] anchor = {cursor};
        JsonArray matches = new JsonArray();
        for (SourceCodeAnalysis.Suggestion suggestion : analysis.completionSuggestions(code, cursor, anchor)) {
            matches.add(suggestion.continuation());
        }
        return reply(matches, anchor[0], cursor);
    }

    static JsonObject noCompletions(int cursor) {
        return reply(new JsonArray(), cursor, cursor);
    }

    private static JsonObject reply(JsonArray matches, int start, int end) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.add("matches", matches);
        content.addProperty("cursor_start", start);
        content.addProperty("cursor_end", end);
        content.add("metadata", new JsonObject());
        return content;
    }
}
