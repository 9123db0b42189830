package dev.agbscript.engine;

/** String literals that Python, JavaScript and R all read the same way. */
final class Literals {
    private Literals() {}

    /**
     * A double-quoted literal with backslash escapes for quotes, backslashes and control characters, and
     * {@code \\uXXXX} for the line separators some parsers reject inside literals.
     */
    static String doubleQuoted(String text) {
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
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
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
