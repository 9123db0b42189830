package dev.agbscript.engine;

import dev.agbscript.session.Quoting;

/** String literals that Python and JavaScript read the same way. */
final class Literals {
    private Literals() {}

    /**
     * A double-quoted literal with backslash escapes for quotes, backslashes and control characters, and
     * {@code \\uXXXX} for the line separators some parsers reject inside literals.
     */
    static String doubleQuoted(String text) {
        return Quoting.quoted(text, Quoting.CONTROLS_ESCAPED);
    }
}
