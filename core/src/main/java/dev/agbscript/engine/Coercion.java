package dev.agbscript.engine;

import java.math.BigInteger;

/** Fits a value that crossed from a kernel to the return type of a Java interface method. */
final class Coercion {
    private Coercion() {}

    static Object to(Class<?> type, Object value) {
        if (type == void.class || type == Void.class) {
            return null;
        }
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalStateException("The function returned nothing where " + type + " is expected");
            }
            return null;
        }
        if (value instanceof Number number) {
            if (type == int.class || type == Integer.class) return number.intValue();
            if (type == long.class || type == Long.class) return number.longValue();
            if (type == double.class || type == Double.class) return number.doubleValue();
            if (type == float.class || type == Float.class) return number.floatValue();
            if (type == short.class || type == Short.class) return number.shortValue();
            if (type == byte.class || type == Byte.class) return number.byteValue();
            if (type == BigInteger.class) return new BigInteger(number.toString());
        }
        if (type == String.class && !(value instanceof String)) {
            return String.valueOf(value);
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean) {
            return value;
        }
        if (!type.isPrimitive() && !type.isInstance(value)) {
            throw new ClassCastException("The function returned a " + value.getClass().getSimpleName()
                    + " where " + type.getSimpleName() + " is expected");
        }
        return value;
    }
}
