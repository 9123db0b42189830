package dev.agbscript.engine;

import dev.agbscript.session.Language;
import dev.agbscript.session.ValueJson;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Java as the agb-jshell kernel runs it (JShell snippets).
 *
 * <p>Bindings become variable declarations, typed by their JSON value: integers {@code long} (beyond 64
 * bits {@link BigInteger}), other numbers {@code double} (NaN and infinities included), strings
 * {@code String}, booleans {@code boolean}, null {@code Object}, arrays {@code java.util.List<Object>},
 * objects {@code java.util.Map<String, Object>}; the elements of lists and maps follow the host's
 * {@link ValueJson} rules (Long, Double, String, Boolean, null, List, Map).
 */
final class JavaDialect implements Dialect {
    /** The JSON reader, on every snippet's class path. */
    private static final String JSON = ValueJson.class.getName();
    private static final String VARIABLES = "dev.agbscript.jshell.agent.Variables";
    /** Java caps a string constant at 65535 UTF-8 bytes; longer texts are joined from pieces at run time. */
    private static final int LITERAL_CHUNK = 8000;
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "_");

    @Override
    public Language language() {
        return Language.JAVA;
    }

    @Override
    public List<String> names() {
        return List.of("agb-java", "agb-jshell");
    }

    @Override
    public List<String> extensions() {
        return List.of("java", "jsh");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("text/x-java", "text/x-java-source");
    }

    @Override
    public String outputStatement(String text) {
        return "System.out.println(" + literal(text) + ");";
    }

    @Override
    public String methodCallSyntax(String object, String method, String... args) {
        return object + "." + method + "(" + String.join(", ", args) + ")";
    }

    /** The statements, one per line, each ending in a semicolon (blocks ending in a brace are left as they are). */
    @Override
    public String program(String... statements) {
        List<String> lines = new ArrayList<>();
        for (String statement : statements) {
            String trimmed = statement.strip();
            lines.add(trimmed.endsWith(";") || trimmed.endsWith("}") ? trimmed : trimmed + ";");
        }
        return String.join("\n", lines);
    }

    @Override
    public String stringLiteral(String text) {
        return literal(text);
    }

    /**
     * Java has no prelude functions: JShell variables are typed and not reachable by name at run time. So
     * {@code bind} becomes typed declarations (re-declaring a JShell variable replaces it, even with another
     * type), {@code get} an expression over the variable itself, {@code call} a direct call with Java literals,
     * and {@code names} a call the agb-jshell kernel answers from JShell's own list.
     */
    @Override
    public String preludeCall(String function, String... arguments) {
        return switch (function) {
            case "bind" -> declarations(arguments[0]);
            case "get" -> isIdentifier(arguments[0])
                    ? VARIABLES + ".describe(" + arguments[0] + ")" : "java.util.Map.of(\"found\", false)";
            case "names" -> "_agb_names()";
            case "functions" -> "_agb_methods()";
            case "call" -> arguments[0] + "(" + String.join(", ", ValueJson.parseList(arguments[1]).stream()
                    .map(JavaDialect::expression).toList()) + ")";
            default -> throw new IllegalArgumentException("No prelude function " + function);
        };
    }

    @Override
    public boolean listsFunctions() {
        return true;
    }

    /** A missing method is a compile error in Java ("cannot find symbol"), not an error of the prelude. */
    @Override
    public boolean isMissingFunction(dev.agbscript.session.ExecutionError error) {
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
            return "java.util.List<Object> " + name + " = " + JSON + ".parseList(" + literal(ValueJson.write(value)) + ");";
        }
        if (value instanceof Map<?, ?>) {
            return "java.util.Map<String, Object> " + name + " = " + JSON + ".parseMap(" + literal(ValueJson.write(value))
                    + ");";
        }
        if (value instanceof Boolean flag) {
            return "boolean " + name + " = " + flag + ";";
        }
        if (value instanceof String text) {
            return "String " + name + " = " + literal(text) + ";";
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

    @Override
    public boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || KEYWORDS.contains(name) || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        return name.chars().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    /**
     * A Java string expression with the text's value: ASCII only, so nothing depends on the source
     * encoding. Control characters use octal escapes and other non-ASCII characters {@code \\uXXXX}; a
     * {@code \\u} never stands for a quote, a backslash or a line end, which Java would translate before
     * lexing. Long texts become {@code String.join("", ...)} of pieces under the constant limit.
     */
    static String literal(String text) {
        if (text.length() <= LITERAL_CHUNK) {
            return quoted(text);
        }
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += LITERAL_CHUNK) {
            int end = Math.min(text.length(), start + LITERAL_CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // keep a surrogate pair together
            }
            pieces.add(quoted(text.substring(start, end)));
            start = end - LITERAL_CHUNK;
        }
        return "String.join(\"\", " + String.join(", ", pieces) + ")";
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\%03o", (int) c));
                    } else if (c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
