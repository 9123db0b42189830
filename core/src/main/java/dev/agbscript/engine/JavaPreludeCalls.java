package dev.agbscript.engine;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ValueJson;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prelude contract in Java. JShell variables are typed and a snippet cannot reach one by name, so only
 * {@code _agb_get(value)}, {@code _agb_names()} and {@code _agb_functions()} are functions (the agb-jshell
 * kernel defines them); binding is typed declarations, reading passes the variable itself, calling is a
 * direct call with Java literals.
 *
 * <p>Bindings are declared by their JSON value: integers {@code long} (beyond 64 bits {@link BigInteger}),
 * other numbers {@code double} (NaN and infinities included), strings {@code String}, booleans
 * {@code boolean}, null {@code Object}, arrays {@code java.util.List<Object>}, objects
 * {@code java.util.Map<String, Object>}; the elements of lists and maps follow the host's {@link ValueJson}
 * rules (Long, Double, String, Boolean, null, List, Map). Declaring a variable again replaces it, even with
 * another type.
 */
final class JavaPreludeCalls implements PreludeCalls {
    /** The JSON reader, on every snippet's class path. */
    private static final String JSON = ValueJson.class.getName();

    @Override
    public String bind(String jsonObject) {
        return declarations(jsonObject);
    }

    /** A name that is no Java identifier cannot be a variable: that code says "not found" without compiling it. */
    @Override
    public String read(String name) {
        return new JavaDialect().isIdentifier(name) ? "_agb_get(" + name + ")" : "java.util.Map.of(\"found\", false)";
    }

    /** agb-jshell checks the syntax of the lines after {@code /check} (JShell itself compiles only to run). */
    @Override
    public String check(String code) {
        return "/check\n" + code;
    }

    /** agb-jshell understands the jshell tool's {@code /drop}. */
    @Override
    public String unbind(String name) {
        return "/drop " + name;
    }

    @Override
    public String variables() {
        return "_agb_names()";
    }

    @Override
    public String functions() {
        return "_agb_functions()";
    }

    @Override
    public String call(String function, String jsonArguments) {
        return function + "(" + String.join(", ", ValueJson.parseList(jsonArguments).stream()
                .map(JavaPreludeCalls::expression).toList()) + ")";
    }

    /** JShell has no namespaces: each per-call Bindings object has a session of its own ({@link PrivateSessions}). */
    @Override
    public Optional<String> inNamespace(String id, String header, String code) {
        return Optional.empty();
    }

    @Override
    public Optional<String> namespaces() {
        return Optional.empty();
    }

    /** Java has no tables: the records become a list of maps, typed so that {@code rows.get(0).get("a")} compiles. */
    @Override
    public String bindTable(String name, String jsonTable) {
        Object records = ValueJson.parseMap(jsonTable).get("records");
        return "java.util.List<java.util.Map<String, Object>> " + name + " = (java.util.List) " + JSON + ".parseList("
                + JavaDialect.literal(ValueJson.write(records)) + ");";
    }

    /** A missing method is a compile error in Java ("cannot find symbol"), not an error of the prelude. */
    @Override
    public boolean isMissingFunction(ExecutionError error) {
        return error.syntax() && error.value().contains("cannot find symbol");
    }

    private static String declarations(String json) {
        // Not Gson: Gson reads the token NaN as the string "NaN".
        Map<String, Object> variables = ValueJson.parseMap(json);
        List<String> declarations = new ArrayList<>();
        variables.forEach((name, value) -> declarations.add(declaration(name, value)));
        return String.join("\n", declarations);
    }

    /** A Java expression of the value; integers that fit an int are int literals, so int parameters accept them. */
    private static String expression(Object value) {
        if (value instanceof Long number && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
            return number.toString();
        }
        String declaration = declaration("v", value);
        return declaration.substring(declaration.indexOf(" v = ") + 5, declaration.length() - 1);
    }

    private static String declaration(String name, Object value) {
        if (value == null) {
            return "Object " + name + " = null;";
        }
        if (value instanceof List<?>) {
            return "java.util.List<Object> " + name + " = " + JSON + ".parseList(" + JavaDialect.literal(ValueJson.write(value)) + ");";
        }
        if (value instanceof Map<?, ?>) {
            return "java.util.Map<String, Object> " + name + " = " + JSON + ".parseMap(" + JavaDialect.literal(ValueJson.write(value))
                    + ");";
        }
        if (value instanceof Boolean flag) {
            return "boolean " + name + " = " + flag + ";";
        }
        if (value instanceof String text) {
            return "String " + name + " = " + JavaDialect.literal(text) + ";";
        }
        if (value instanceof Long number) {
            return "long " + name + " = " + number + "L;";
        }
        if (value instanceof BigInteger number) {
            return "java.math.BigInteger " + name + " = new java.math.BigInteger(\"" + number + "\");";
        }
        double number = (Double) value;
        if (Double.isNaN(number)) {
            return "double " + name + " = Double.NaN;";
        }
        if (Double.isInfinite(number)) {
            return "double " + name + " = Double." + (number > 0 ? "POSITIVE" : "NEGATIVE") + "_INFINITY;";
        }
        return "double " + name + " = " + number + ";";
    }

}
