package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/** Lenient reading of the service's JSON: alternative key spellings, and objects sent as JSON strings. */
final class Json {
    private Json() {}

    /** The first present, non-null member among the spellings, e.g. {@code "linkUrl", "LinkUrl"}. */
    static JsonElement member(JsonObject object, String... names) {
        if (object == null) {
            return null;
        }
        for (String name : names) {
            JsonElement value = object.get(name);
            if (value != null && !value.isJsonNull()) {
                return value;
            }
        }
        return null;
    }

    static String string(JsonObject object, String... names) {
        JsonElement value = member(object, names);
        if (value == null) {
            return null;
        }
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    static Boolean bool(JsonObject object, String... names) {
        JsonElement value = member(object, names);
        if (value == null || !value.isJsonPrimitive()) {
            return null;
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        return p.isBoolean() ? p.getAsBoolean() : Boolean.valueOf(p.getAsString());
    }

    static Number number(JsonObject object, String... names) {
        JsonElement value = member(object, names);
        if (value == null || !value.isJsonPrimitive()) {
            return null;
        }
        try {
            return value.getAsBigDecimal();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The element with JSON strings unwrapped as long as they hold JSON objects or arrays (the service
     * double-encodes some payloads). A string that is not JSON stays a string.
     */
    static JsonElement decode(JsonElement element) {
        JsonElement current = element;
        for (int depth = 0; depth < 4 && current != null && current.isJsonPrimitive()
                && current.getAsJsonPrimitive().isString(); depth++) {
            String text = current.getAsString().trim();
            if (!(text.startsWith("{") || text.startsWith("[") || text.startsWith("\""))) {
                break;
            }
            JsonElement parsed = parse(text);
            if (parsed == null) {
                break;
            }
            current = parsed;
        }
        return current;
    }

    /** The object the element is or encodes, or null. */
    static JsonObject object(JsonElement element) {
        JsonElement decoded = decode(element);
        return decoded != null && decoded.isJsonObject() ? decoded.getAsJsonObject() : null;
    }

    /** Parses text, or null when it is not JSON. */
    static JsonElement parse(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }
}
