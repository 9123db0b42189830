package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.MimeBundle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one output item of the service into a {@link MimeBundle}: a bundle keyed by MIME type, or by the
 * SDK's short names ({@code text}, {@code png}, {@code chart}, …), flagged {@code isMainResult} or
 * {@code is_main_result}; possibly sent as a (double-encoded) JSON string; a plain string is text.
 */
final class MimeBundles {
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "text", MimeBundle.TEXT,
            "html", MimeBundle.HTML,
            "markdown", MimeBundle.MARKDOWN,
            "png", MimeBundle.PNG,
            "jpeg", MimeBundle.JPEG,
            "svg", MimeBundle.SVG,
            "json", MimeBundle.JSON,
            "latex", MimeBundle.LATEX,
            "chart", MimeBundle.CHART_TYPES[0]);

    private MimeBundles() {}

    /** The item as a bundle; {@code mainByDefault} applies when the item carries no flag. */
    static MimeBundle read(JsonElement item, boolean mainByDefault) {
        JsonElement decoded = Json.decode(item);
        if (decoded == null || decoded.isJsonNull()) {
            return new MimeBundle(Map.of(), mainByDefault);
        }
        if (!decoded.isJsonObject()) {
            String text = decoded.isJsonPrimitive() ? decoded.getAsString() : decoded.toString();
            return new MimeBundle(Map.of(MimeBundle.TEXT, text), mainByDefault);
        }
        return fromObject(decoded.getAsJsonObject(), null, mainByDefault);
    }

    /** A bundle from its MIME map, the main flag given separately (as streamed result events do). */
    static MimeBundle fromObject(JsonObject bundle, Boolean main, boolean mainByDefault) {
        Map<String, String> data = new LinkedHashMap<>();
        Boolean flag = main;
        for (Map.Entry<String, JsonElement> entry : bundle.entrySet()) {
            String key = entry.getKey();
            JsonElement value = entry.getValue();
            if (key.equals("isMainResult") || key.equals("is_main_result")) {
                if (flag == null && value.isJsonPrimitive()) {
                    flag = value.getAsBoolean();
                }
                continue;
            }
            if (value == null || value.isJsonNull()) {
                continue;
            }
            String type = key.contains("/") ? key : SHORT_NAMES.getOrDefault(key, key);
            data.put(type, value.isJsonPrimitive() ? value.getAsString() : value.toString());
        }
        return new MimeBundle(data, flag != null ? flag : mainByDefault);
    }
}
