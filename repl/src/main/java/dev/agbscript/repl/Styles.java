package dev.agbscript.repl;

/** ANSI styles that vanish when the terminal has no colors, so no renderer needs to ask. */
final class Styles {
    private static final String RESET = "\u001b[0m";
    private final boolean color;

    Styles(boolean color) {
        this.color = color;
    }

    String bold(String s) { return wrap("1", s); }
    String dim(String s) { return wrap("2", s); }
    String italic(String s) { return wrap("3", s); }
    String underline(String s) { return wrap("4", s); }
    String red(String s) { return wrap("31", s); }
    String green(String s) { return wrap("32", s); }
    String yellow(String s) { return wrap("33", s); }
    String cyan(String s) { return wrap("36", s); }
    String boldRed(String s) { return wrap("1;31", s); }

    boolean enabled() {
        return color;
    }

    private String wrap(String code, String s) {
        if (!color || s.isEmpty()) {
            return s;
        }
        // a final newline stays outside the style, so the text still ends a line where the text did
        boolean newline = s.endsWith("\n");
        String body = newline ? s.substring(0, s.length() - 1) : s;
        return body.isEmpty() ? s : "\u001b[" + code + "m" + body + RESET + (newline ? "\n" : "");
    }
}
