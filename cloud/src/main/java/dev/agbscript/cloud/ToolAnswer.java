package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of an MCP tool answer {@code {"content":[{"type":"text","text":…}], "isError":…}}: the text
 * items joined by newlines, else the first image's data, else content[0]'s text, blob or data. An answer
 * flagged {@code isError} is the tool layer failing: {@link AgbToolException}.
 */
final class ToolAnswer {
    private ToolAnswer() {}

    static String text(JsonElement data, String tool, String requestId) {
        JsonElement decoded = Json.decode(data);
        if (decoded != null && decoded.isJsonPrimitive()) {
            return decoded.getAsString();
        }
        JsonObject answer = decoded != null && decoded.isJsonObject() ? decoded.getAsJsonObject() : null;
        if (answer == null) {
            throw new AgbProtocolException(tool + " returned no data", requestId);
        }
        String text = contentText(answer);
        if (Boolean.TRUE.equals(Json.bool(answer, "isError"))) {
            throw new AgbToolException(tool + " reported an error: " + (text.isEmpty() ? "(no text)" : text), requestId);
        }
        return text;
    }

    private static String contentText(JsonObject answer) {
        JsonElement contentElement = Json.decode(answer.get("content"));
        if (contentElement == null || !contentElement.isJsonArray()) {
            // Not an MCP answer: the payload itself is the tool text (the run_code parser reads it).
            return answer.toString();
        }
        JsonArray content = contentElement.getAsJsonArray();
        List<String> texts = new ArrayList<>();
        String image = null;
        for (JsonElement element : content) {
            JsonObject item = Json.object(element);
            String type = Json.string(item, "type");
            if ("text".equals(type) && Json.string(item, "text") != null) {
                texts.add(Json.string(item, "text"));
            } else if ("image".equals(type) && image == null) {
                image = Json.string(item, "data");
            }
        }
        if (!texts.isEmpty()) {
            return String.join("\n", texts);
        }
        if (image != null) {
            return image;
        }
        JsonObject first = content.isEmpty() ? null : Json.object(content.get(0));
        String fallback = Json.string(first, "text", "blob", "data");
        return fallback == null ? "" : fallback;
    }
}
