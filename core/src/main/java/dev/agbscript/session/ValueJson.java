package dev.agbscript.session;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of values crossing between Java and the kernels: host bindings and function arguments going
 * in, results coming back ({@link MimeBundle#AGB_VALUE}). The engine, the agb-jshell kernel and its agent JVM
 * all use it, so it needs no JSON library (snippets in the agent JVM get none on their class path).
 *
 * <p>Writes {@code null}, booleans, numbers, strings and characters, collections, arrays and maps with string
 * keys, nested; anything else is refused with {@link UnrepresentableValueException}. NaN and infinities are the
 * tokens {@code NaN}, {@code Infinity}, {@code -Infinity}, which Python's json module also writes.
 *
 * <p>Reads {@code null}, {@link Boolean}, {@link Long} for integers ({@link BigInteger} beyond 64 bits, so
 * precision is kept past 2^53), {@link Double} for other numbers, {@link String}, {@link List} and {@link Map}
 * (insertion ordered), nested.
 */
public final class ValueJson {
    private static final int MAX_DEPTH = 100;

    private ValueJson() {}

    /** A value with no JSON form. */
    public static class UnrepresentableValueException extends IllegalArgumentException {
        UnrepresentableValueException(String message) {
            super(message);
        }
    }

    /**
     * A string that UTF-8 cannot carry: it holds half of a surrogate pair alone. It would arrive as {@code ?}, so
     * it is refused instead.
     */
    public static final class LoneSurrogateException extends UnrepresentableValueException {
        LoneSurrogateException(String text, int index) {
            super("a string holds a lone surrogate (U+" + String.format("%04X", (int) text.charAt(index))
                    + " at index " + index + "), which UTF-8 cannot carry");
        }
    }

    /** The index of the first lone surrogate of the text, or -1 when every surrogate is paired. */
    public static int loneSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The JSON of a value: null, Boolean, Number, CharSequence/Character, arrays, Collections, Maps with String keys. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, false);
        return out.toString();
    }

    /** Like {@link #write}, for people: one member or element per line, indented by two spaces a level. */
    public static String writeIndented(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0, true);
        return out.toString();
    }

    /** The JSON of a value, or null when it has none. */
    public static String writeOrNull(Object value) {
        try {
            return write(value);
        } catch (UnrepresentableValueException | StackOverflowError e) {
            return null;
        }
    }

    private static void write(StringBuilder out, Object value, int depth, boolean indented) {
        if (depth > MAX_DEPTH) {
            throw new UnrepresentableValueException("nested more than " + MAX_DEPTH + " levels (a cycle?)");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                out.append("NaN");
            } else if (Double.isInfinite(d)) {
                out.append(d > 0 ? "Infinity" : "-Infinity");
            } else {
                out.append(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
            }
        } else if (value instanceof Byte || value instanceof Short || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal) {
            out.append(((BigDecimal) value).toString());
        } else if (value instanceof CharSequence || value instanceof Character) {
            quote(out, value.toString());
        } else if (value instanceof Map<?, ?>) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!(entry.getKey() instanceof String)) {
                    throw new UnrepresentableValueException("a map key is not a String");
                }
                separate(out, first, depth + 1, indented);
                first = false;
                quote(out, (String) entry.getKey());
                out.append(indented ? ": " : ":");
                write(out, entry.getValue(), depth + 1, indented);
            }
            close(out, '}', first, depth, indented);
        } else if (value instanceof Collection<?>) {
            out.append('[');
            boolean first = true;
            for (Object element : (Collection<?>) value) {
                separate(out, first, depth + 1, indented);
                first = false;
                write(out, element, depth + 1, indented);
            }
            close(out, ']', first, depth, indented);
        } else if (value.getClass().isArray()) {
            out.append('[');
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                separate(out, i == 0, depth + 1, indented);
                write(out, Array.get(value, i), depth + 1, indented);
            }
            close(out, ']', n == 0, depth, indented);
        } else {
            throw new UnrepresentableValueException("a " + value.getClass().getName() + " has no JSON form (values"
                    + " cross as null, booleans, numbers, strings, lists, arrays and maps)");
        }
    }

    /** Before a member or element: a comma after the first, and in indented form a new line. */
    private static void separate(StringBuilder out, boolean first, int depth, boolean indented) {
        if (!first) {
            out.append(',');
        }
        if (indented) {
            out.append('\n').append("  ".repeat(depth));
        }
    }

    private static void close(StringBuilder out, char bracket, boolean empty, int depth, boolean indented) {
        if (indented && !empty) {
            out.append('\n').append("  ".repeat(depth));
        }
        out.append(bracket);
    }

    private static void quote(StringBuilder out, String text) {
        int lone = loneSurrogate(text);
        if (lone >= 0) {
            throw new LoneSurrogateException(text, lone);
        }
        Quoting.quote(out, text, Quoting.CONTROLS_ESCAPED);
    }

    /** Parses a JSON document: null, Boolean, Long/BigInteger, Double, String, List, Map (insertion ordered). */
    public static Object parse(String json) {
        Reader reader = new Reader(json);
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.pos != json.length()) {
            throw reader.error("trailing characters");
        }
        return value;
    }

    /** Parses a JSON array. */
    @SuppressWarnings("unchecked")
    public static List<Object> parseList(String json) {
        return (List<Object>) parse(json);
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseMap(String json) {
        return (Map<String, Object>) parse(json);
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Bad JSON at " + pos + ": " + what);
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deep");
            }
            skipSpace();
            if (pos >= text.length()) {
                throw error("end of input");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                pos++;
                Map<String, Object> map = new LinkedHashMap<>();
                skipSpace();
                if (peek('}')) {
                    return map;
                }
                do {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    map.put(key, value(depth + 1));
                    skipSpace();
                } while (peek(','));
                expect('}');
                return map;
            }
            if (c == '[') {
                pos++;
                List<Object> list = new ArrayList<>();
                skipSpace();
                if (peek(']')) {
                    return list;
                }
                do {
                    list.add(value(depth + 1));
                    skipSpace();
                } while (peek(','));
                expect(']');
                return list;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"null", "true", "false", "NaN", "Infinity", "-Infinity"}) {
                if (text.startsWith(word, pos)) {
                    pos += word.length();
                    switch (word) {
                        case "null": return null;
                        case "true": return Boolean.TRUE;
                        case "false": return Boolean.FALSE;
                        case "NaN": return Double.NaN;
                        case "Infinity": return Double.POSITIVE_INFINITY;
                        default: return Double.NEGATIVE_INFINITY;
                    }
                }
            }
            return number();
        }

        private boolean peek(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                        break;
                    default: out.append(e);
                }
            }
            throw error("unterminated string");
        }

        private Object number() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String literal = text.substring(start, pos);
            if (literal.isEmpty()) {
                throw error("unexpected character");
            }
            if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
                BigInteger integer = new BigInteger(literal);
                return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
            }
            return Double.parseDouble(literal);
        }
    }
}
