package dev.agbscript.jshell.agent;

import dev.agbscript.session.ValueJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prelude's {@code _agb_get} for Java, whose argument is the variable itself: {@code _agb_get(total)} (a
 * missing variable is a compile error, which the engine takes as "not found").
 */
public final class Variables {
    private Variables() {}

    /** {@code {"found": true, "value": v}} for a value with a JSON form, else {@code {"found": true, "text": …}}. */
    public static Map<String, Object> describe(Object value) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("found", true);
        if (value == null || ValueJson.writeOrNull(value) != null) {
            description.put("value", value);
        } else {
            description.put("text", String.valueOf(value));
        }
        return description;
    }
}
