package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.MimeBundle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one output item of the service: a bundle keyed by MIME type, or by the SDK's short names
 * ({@code text}, {@code png}, {@code chart}, …), flagged {@code isMainResult} or {@code is_main_result};
 * possibly sent as a (double-encoded) JSON string; a plain string is text. Which output is the main result
 * is decided for the whole run ({@link Outputs}).
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

    /** The item as an output: a bundle with its own flag if it carries one; plain text is never main. */
    static Outputs.Output read(JsonElement item) {
        JsonElement decoded = Json.decode(item);
        if (decoded == null || decoded.isJsonNull()) {
            return new Outputs.Output(Map.of(), null);
        }
        if (!decoded.isJsonObject()) {
            return text(decoded.isJsonPrimitive() ? decoded.getAsString() : decoded.toString(), Boolean.FALSE);
        }
        return fromObject(decoded.getAsJsonObject(), null);
    }

    static Outputs.Output text(String text, Boolean main) {
        return new Outputs.Output(Map.of(MimeBundle.TEXT, text), main);
    }

    /**
     * An output from its MIME map; {@code main} is the flag given beside the map (streamed result events),
     * else the map's own {@code isMainResult}/{@code is_main_result}.
     */
    static Outputs.Output fromObject(JsonObject bundle, Boolean main) {
        Map<String, String> data = new LinkedHashMap<>();
        Boolean flag = main;
        for (Map.Entry<String, JsonElement> entry : bundle.entrySet()) {
            String key = entry.getKey();
            JsonElement value = entry.getValue();
            if (key.equals("isMainResult") || key.equals("is_main_result")) {
                if (flag == null && value.isJsonPrimitive()) {
                    flag = Json.bool(bundle, key);
                }
                continue;
            }
            if (value == null || value.isJsonNull()) {
                continue;
            }
            String type = key.contains("/") ? key : SHORT_NAMES.getOrDefault(key, key);
            data.putIfAbsent(type, value.isJsonPrimitive() ? value.getAsString() : value.toString());
        }
        return new Outputs.Output(data, flag);
    }
}
