package dev.agbscript.session;

/**
 * Double-quoted string literals: the one escaper behind JSON ({@link ValueJson}) and the string literals of
 * every language. Quotes, backslashes, newlines, carriage returns and tabs are backslash-escaped everywhere;
 * how any other character is written is the language's {@link CharRule}.
 */
public final class Quoting {
    private Quoting() {}

    /** Writes one character that is not {@code "}, {@code \}, newline, carriage return or tab. */
    @FunctionalInterface
    public interface CharRule {
        void append(StringBuilder out, int codePoint);
    }

    /** Characters below U+0020 and the line separators U+2028/9 as {@code \\uXXXX}, everything else as it is. */
    public static final CharRule CONTROLS_ESCAPED = (out, c) -> {
        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            unicodeEscape(out, c);
        } else {
            out.appendCodePoint(c);
        }
    };

    public static String quoted(String text, CharRule rule) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        quote(out, text, rule);
        return out.toString();
    }

    public static void quote(StringBuilder out, String text, CharRule rule) {
        out.append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> rule.append(out, c);
            }
        });
        out.append('"');
    }

    /** {@code \\uXXXX}; a character beyond the BMP as its two surrogates, each escaped. */
    public static void unicodeEscape(StringBuilder out, int codePoint) {
        for (char unit : Character.toChars(codePoint)) {
            out.append(String.format("\\u%04x", (int) unit));
        }
    }
}
