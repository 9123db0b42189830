package dev.agbscript.jshell;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Answers for a REPL: is this code complete ({@code is_complete_request}), how may it go on
 * ({@code complete_request}), what is the name at the cursor ({@code inspect_request}).
 */
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

    /**
     * The content of an {@code inspect_reply}: the signatures JShell knows for the name at the cursor (every
     * overload), each with its javadoc when detailed and the JDK's sources are there (a JDK without
     * {@code lib/src.zip} has none).
     */
    static JsonObject documentation(SourceCodeAnalysis analysis, String code, int cursorPos, boolean detailed) {
        int cursor = Math.max(0, Math.min(code.length(), cursorPos));
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(code, cursor, detailed);
        if (docs.isEmpty()) {
            // JShell documents a method where it is called: Math.max as Math.max(
            docs = analysis.documentation(code.substring(0, cursor) + "(", cursor + 1, detailed);
        }
        StringBuilder text = new StringBuilder();
        if (docs.isEmpty()) {
            String type = analysis.analyzeType(code.substring(0, cursor), cursor); // a variable, an expression
            if (type != null && !type.isBlank()) {
                text.append(code.substring(0, cursor).strip()).append(": ").append(type);
            }
        }
        for (SourceCodeAnalysis.Documentation doc : docs) {
            if (text.length() > 0) {
                text.append(detailed ? "\n\n" : "\n");
            }
            text.append(doc.signature());
            if (detailed && doc.javadoc() != null && !doc.javadoc().isBlank()) {
                text.append("\n").append(doc.javadoc().strip());
            }
        }
        if (text.length() == 0) {
            return nothingFound();
        }
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text.toString());
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.addProperty("found", true);
        content.add("data", data);
        content.add("metadata", new JsonObject());
        return content;
    }

    static JsonObject nothingFound() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        content.addProperty("found", false);
        content.add("data", new JsonObject());
        content.add("metadata", new JsonObject());
        return content;
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
