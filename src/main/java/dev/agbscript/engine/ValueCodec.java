package dev.agbscript.engine;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
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

    public static Object fromJson(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setLenient(true);
            return read(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not JSON: " + json, e);
        }
    }

    private static Object read(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        switch (token) {
            case NULL -> {
                reader.nextNull();
                return null;
            }
            case BOOLEAN -> {
                return reader.nextBoolean();
            }
            case STRING -> {
                return reader.nextString();
            }
            case NUMBER -> {
                return number(reader.nextString());
            }
            case BEGIN_ARRAY -> {
                List<Object> list = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    list.add(read(reader));
                }
                reader.endArray();
                return list;
            }
            case BEGIN_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    map.put(reader.nextName(), read(reader));
                }
                reader.endObject();
                return map;
            }
            default -> throw new IOException("Unexpected " + token);
        }
    }

    private static Object number(String literal) {
        switch (literal) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
            BigInteger integer = new BigInteger(literal);
            return integer.bitLength() < 64 ? (Object) integer.longValue() : integer;
        }
        return Double.parseDouble(literal);
    }
}
