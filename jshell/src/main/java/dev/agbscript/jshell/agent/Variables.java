package dev.agbscript.jshell.agent;

import dev.agbscript.session.ValueJson;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prelude's {@code get} for Java: the engine reads a variable by compiling {@code Variables.describe(name)}
 * (a missing variable is a compile error, which it takes as "not found").
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
