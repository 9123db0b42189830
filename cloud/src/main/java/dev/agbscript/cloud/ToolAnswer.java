package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of an MCP tool answer, read as the SDK reads it on each route. An answer flagged
 * {@code isError} is the tool layer failing: {@link AgbToolException} with the tool's own text.
 */
final class ToolAnswer {
    private ToolAnswer() {}

    /**
     * The API route's {@code data} ({@code call_mcp_tool_response.py}): the {@code type:"text"} items joined
     * by newlines, else the first {@code type:"image"} item's data, else content[0]'s text, blob or data
     * (the TypeScript SDK's fallback).
     *
     * @param serviceMessage the envelope's message, which the SDK prefers as the error text
     */
    static String apiText(JsonElement data, String tool, String requestId, String serviceMessage) {
        JsonObject answer = Json.object(data);
        if (answer == null) {
            return ""; // no data: an empty tool text (the run_code parser reports "no data")
        }
        String text = apiContentText(answer);
        if (Boolean.TRUE.equals(Json.bool(answer, "isError"))) {
            String why = serviceMessage != null && !serviceMessage.isEmpty() ? serviceMessage
                    : text.isEmpty() ? "Tool execution failed" : text;
            throw new AgbToolException(tool + " failed: " + why, requestId);
        }
        return text;
    }

    private static String apiContentText(JsonObject answer) {
        JsonElement contentElement = Json.decode(answer.get("content"));
        if (contentElement == null || !contentElement.isJsonArray() || contentElement.getAsJsonArray().isEmpty()) {
            return "";
        }
        JsonArray content = contentElement.getAsJsonArray();
        List<String> texts = new ArrayList<>();
        String image = null;
        for (JsonElement element : content) {
            JsonObject item = Json.object(element);
            String type = Json.string(item, "type");
            if ("text".equals(type)) {
                String text = Json.string(item, "text");
                texts.add(text == null ? "" : text);
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
        String fallback = firstNonEmpty(Json.object(content.get(0)), "text", "blob", "data");
        return fallback == null ? "" : fallback;
    }

    /**
     * The LinkUrl route's {@code data.result} ({@code base_service.py}): only content[0] counts, a plain
     * string or an object's text, blob or data.
     */
    static String linkText(JsonObject result, String tool, String requestId) {
        JsonElement contentElement = result.get("content");
        String text = "";
        if (contentElement != null && contentElement.isJsonArray() && !contentElement.getAsJsonArray().isEmpty()) {
            JsonElement first = contentElement.getAsJsonArray().get(0);
            if (first.isJsonPrimitive() && first.getAsJsonPrimitive().isString()) {
                text = first.getAsString();
            } else if (first.isJsonObject()) {
                String value = firstNonEmpty(first.getAsJsonObject(), "text", "blob", "data");
                text = value == null ? "" : value;
            }
        }
        if (Boolean.TRUE.equals(Json.bool(result, "isError"))) {
            throw new AgbToolException(tool + " failed: " + (text.isEmpty() ? "(no text)" : text), requestId);
        }
        return text;
    }

    /** The first of the keys with a non-empty value (Python's {@code a or b or c}). */
    private static String firstNonEmpty(JsonObject item, String... keys) {
        if (item == null) {
            return null;
        }
        for (String key : keys) {
            String value = Json.string(item, key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
