package dev.agbscript.session;

/** Reads a setting from a Java system property first, then from an environment variable. */
public final class Settings {
    private Settings() {}

    public static String get(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value != null) {
            return value;
        }
        return environmentVariable == null ? null : System.getenv(environmentVariable);
    }

    /**
     * A whole number setting, with an optional {@code k}, {@code m} or {@code g} suffix (binary multiples),
     * or the default when it is not set.
     *
     * @throws IllegalArgumentException naming the setting when its value is no such number
     */
    public static long number(String property, String environmentVariable, long defaultValue) {
        String value = get(property, environmentVariable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String text = value.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long number = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1));
            return Math.multiplyExact(number, 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("The setting " + property
                    + (environmentVariable == null ? "" : " (" + environmentVariable + ")") + " must be a whole number,"
                    + " optionally with k, m or g; it is '" + value + "'");
        }
    }
}
