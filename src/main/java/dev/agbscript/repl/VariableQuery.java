package dev.agbscript.repl;

import com.google.gson.Gson;
import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.script.ScriptException;

/**
 * The user's variables of one language, from the kernel, through the prelude functions every language
 * offers ({@code names()} and {@code get(name)}, spelled {@code _agb_names} or {@code .agb_names} in R).
 * Where the language allows, one expression asks for all of them at once.
 */
final class VariableQuery {
    private static final Gson GSON = new Gson();

    /** A variable: its value when it has a JSON form (as JSON text), else its text form. */
    record Variable(String name, String shown) {}

    private VariableQuery() {}

    static List<Variable> variables(AgbScriptEngine engine, Language language) throws ScriptException {
        String prefix = language == Language.R ? ".agb_" : "_agb_";
        String all = switch (language) {
            case PYTHON -> "{n: _agb_get(n) for n in _agb_names()}";
            case JAVASCRIPT -> "Object.fromEntries(_agb_names().map(n => [n, _agb_get(n)]))";
            case R -> "sapply(.agb_names(), .agb_get, simplify = FALSE)";
            case JAVA -> null;
        };
        Map<String, Object> answers = new LinkedHashMap<>();
        if (all != null) {
            Object value = engine.eval(all);
            if (value instanceof Map<?, ?> map) {
                map.forEach((name, answer) -> answers.put(String.valueOf(name), answer));
            }
        } else if (engine.eval(prefix + "names()") instanceof List<?> names) {
            for (Object name : names) {
                answers.put(String.valueOf(name), engine.eval(prefix + "get(" + GSON.toJson(String.valueOf(name)) + ")"));
            }
        }
        return answers.entrySet().stream().map(e -> new Variable(e.getKey(), shown(e.getValue()))).toList();
    }

    private static String shown(Object answer) {
        if (answer instanceof Map<?, ?> map) {
            if (map.containsKey("value")) {
                return GSON.toJson(map.get("value"));
            }
            if (map.get("text") != null) {
                return String.valueOf(map.get("text"));
            }
        }
        return String.valueOf(answer);
    }
}
