package dev.agbscript.session;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a setting from a Java system property first, then from an environment variable. */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

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
        try {
            return size(value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("The setting " + named(property, environmentVariable)
                    + " must be a whole number, optionally with k, m or g; it is '" + value + "'");
        }
    }

    /**
     * A whole number with an optional {@code k}, {@code m} or {@code g} suffix (binary multiples): {@code 512m}.
     *
     * @throws NumberFormatException when it is no such number; ArithmeticException when it overflows a long
     */
    public static long size(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int shift = text.isEmpty() ? 0 : switch (text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        long number = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1).trim());
        return Math.multiplyExact(number, 1L << shift);
    }

    /**
     * A length of time: a number of seconds ({@code 30}, {@code 2.5}), a number with a unit ({@code 500ms},
     * {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}); {@code off} or
     * {@code none} is empty. The default when it is not set.
     *
     * @throws IllegalArgumentException naming the setting when its value is none of these
     */
    public static Optional<Duration> duration(String property, String environmentVariable,
            Optional<Duration> defaultValue) {
        String value = get(property, environmentVariable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("none")) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text);
        try {
            if (m.matches()) {
                double number = Double.parseDouble(m.group(1));
                double unitSeconds = switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ms" -> 0.001;
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86400;
                    default -> 1;
                };
                // A century or more is "forever" (as for time limits): no overflow in deadline arithmetic.
                double seconds = Math.min(number * unitSeconds, ExecutionRequest.NO_TIMEOUT.toSeconds());
                return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
            }
            Duration iso = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (!iso.isNegative()) {
                return Optional.of(iso.compareTo(ExecutionRequest.NO_TIMEOUT) > 0 ? ExecutionRequest.NO_TIMEOUT : iso);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("The setting " + named(property, environmentVariable)
                + " must be a length of time such as 30s, 500ms, 10m, 2h or off; it is '" + value + "'");
    }

    private static String named(String property, String environmentVariable) {
        return property + (environmentVariable == null ? "" : " (" + environmentVariable + ")");
    }
}
