package dev.agbscript.engine;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values crossing between Java and the kernels, as JSON.
 *
 * <p>Going out: {@code null}, booleans, numbers (NaN and infinities included), strings, characters,
 * collections, arrays and maps with string keys, nested. Anything else is refused with
 * {@link UnrepresentableValueException}.
 *
 * <p>Coming back: {@code null}, {@link Boolean}, {@link Long} for integers (a {@link BigInteger} beyond
 * 64 bits), {@link Double} for other numbers, {@link String}, {@link List} and {@link Map} (insertion
 * ordered), nested. Integers keep their precision beyond 2^53.
 */
public final class ValueCodec {
    private ValueCodec() {}

    /** A value that has no JSON form. */
    public static final class UnrepresentableValueException extends IllegalArgumentException {
        UnrepresentableValueException(String message) {
            super(message);
        }
    }

    public static String toJson(Object value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.setLenient(true); // lets NaN and infinities through as tokens the kernels accept
            writer.setHtmlSafe(false);
            write(writer, value, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonWriter writer, Object value, int depth) throws IOException {
        if (depth > 100) {
            throw new UnrepresentableValueException("nested more than 100 levels deep (a cycle?)");
        }
        if (value == null) {
            writer.nullValue();
        } else if (value instanceof Boolean b) {
            writer.value(b);
        } else if (value instanceof Double || value instanceof Float) {
            writer.value(((Number) value).doubleValue());
        } else if (value instanceof Byte || value instanceof Short || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
            writer.value((Number) value);
        } else if (value instanceof CharSequence || value instanceof Character) {
            writer.value(value.toString());
        } else if (value instanceof Map<?, ?> map) {
            writer.beginObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new UnrepresentableValueException("a map key is not a string: " + entry.getKey());
                }
                writer.name(key);
                write(writer, entry.getValue(), depth + 1);
            }
            writer.endObject();
        } else if (value instanceof Collection<?> collection) {
            writer.beginArray();
            for (Object element : collection) {
                write(writer, element, depth + 1);
            }
            writer.endArray();
        } else if (value.getClass().isArray()) {
            writer.beginArray();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                write(writer, Array.get(value, i), depth + 1);
            }
            writer.endArray();
        } else {
            throw new UnrepresentableValueException("a " + value.getClass().getName()
                    + " has no JSON form (values cross as null, booleans, numbers, strings, lists, arrays and maps)");
        }
    }

    /**
     * Reads JSON, plus the tokens {@code NaN}, {@code Infinity} and {@code -Infinity} that Python's json
     * module writes. (Gson's lenient reader cannot tell the token {@code NaN} from the string "NaN".)
     */
    public static Object fromJson(String json) {
        JsonText text = new JsonText(json);
        Object value = text.value(0);
        text.skipWhitespace();
        if (!text.atEnd()) {
            throw text.error("trailing characters");
        }
        return value;
    }

    /** A recursive-descent reader over one JSON document. */
    private static final class JsonText {
        private final String s;
        private int i;

        JsonText(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipWhitespace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Not JSON (" + what + " at " + i + "): "
                    + (s.length() > 200 ? s.substring(0, 200) + "…" : s));
        }

        Object value(int depth) {
            if (depth > 1000) {
                throw error("nested too deeply");
            }
            skipWhitespace();
            if (atEnd()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                default:
                    break;
            }
            for (String keyword : new String[] {"null", "true", "false", "NaN", "Infinity", "-Infinity"}) {
                if (s.startsWith(keyword, i)) {
                    i += keyword.length();
                    return switch (keyword) {
                        case "null" -> null;
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "NaN" -> Double.NaN;
                        case "Infinity" -> Double.POSITIVE_INFINITY;
                        default -> Double.NEGATIVE_INFINITY;
                    };
                }
            }
            return number();
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> map = new LinkedHashMap<>();
            i++;
            skipWhitespace();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (atEnd() || s.charAt(i) != '"') {
                    throw error("expected a name");
                }
                String name = string();
                skipWhitespace();
                expect(':');
                map.put(name, value(depth + 1));
                skipWhitespace();
                if (!atEnd() && s.charAt(i) == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>();
            i++;
            skipWhitespace();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                skipWhitespace();
                if (!atEnd() && s.charAt(i) == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private void expect(char c) {
            if (atEnd() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            i++;
            while (true) {
                if (atEnd()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private Object number() {
            int start = i;
            if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            boolean integral = true;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') {
                    i++;
                } else if (c == '.' || c == 'e' || c == 'E' || ((c == '-' || c == '+') && integral == false)) {
                    integral = false;
                    i++;
                } else {
                    break;
                }
            }
            String literal = s.substring(start, i);
            try {
                if (integral) {
                    BigInteger integer = new BigInteger(literal);
                    return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
                }
                return Double.parseDouble(literal);
            } catch (NumberFormatException e) {
                i = start;
                throw error("bad value");
            }
        }
    }
}
