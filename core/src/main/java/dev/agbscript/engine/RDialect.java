package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Language;
import dev.agbscript.session.Quoting;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** R as IRkernel runs it. Prelude functions start with a dot ({@code .agb_bind}): R names cannot start with "_". */
final class RDialect implements Dialect {
    private static final Lexicon LEXICON = new Lexicon("#", false, "\"'`", false, "\"'`");
    private final PreludeCalls prelude = PreludeCalls.functions(".agb_", "#", this::stringLiteral);
    private static final Pattern IDENTIFIER = Pattern.compile("([A-Za-z]|\\.(?![0-9]))[A-Za-z0-9._]*|\\.");
    private static final Set<String> RESERVED = Set.of("if", "else", "repeat", "while", "function", "for", "next",
            "break", "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_",
            "NA_complex_", "in");

    @Override
    public Language language() {
        return Language.R;
    }

    @Override
    public List<String> names() {
        return List.of("agb-r", "agb-R");
    }

    @Override
    public List<String> extensions() {
        return List.of("r", "R");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("text/x-r", "text/x-R", "application/x-r");
    }

    @Override
    public String outputStatement(String text) {
        // A line, as print, println and console.log write in the other languages.
        return "writeLines(" + stringLiteral(text) + ")";
    }

    @Override
    public String methodCallSyntax(String object, String method, String... args) {
        StringBuilder call = new StringBuilder(method).append('(').append(object);
        for (String arg : args) {
            call.append(", ").append(arg);
        }
        return call.append(')').toString();
    }

    @Override
    public String program(String... statements) {
        return String.join("\n", statements);
    }

    /**
     * A double-quoted literal that is pure ASCII: the kernel's locale may not be UTF-8, so everything else
     * is written as {@code \\uXXXX} or {@code \\U{XXXXXX}}.
     */
    @Override
    public String stringLiteral(String text) {
        return Quoting.quoted(text, R_CHARACTERS);
    }

    /** ASCII only, so nothing depends on R's idea of the source encoding. */
    private static final Quoting.CharRule R_CHARACTERS = (out, c) -> {
        if (c >= 0x20 && c < 0x7f) {
            out.append((char) c);
        } else if (c <= 0xffff) {
            out.append(String.format("\\u%04x", c));
        } else {
            out.append(String.format("\\U{%x}", c));
        }
    };

    /** The prelude's functions start with a dot, so that {@code ls()} does not list them. */
    @Override
    public Completeness completeness(String code) {
        return LEXICON.completeness(code);
    }

    @Override
    public PreludeCalls prelude() {
        return prelude;
    }

    @Override
    public boolean isIdentifier(String name) {
        return IDENTIFIER.matcher(name).matches() && !RESERVED.contains(name) && !name.matches("\\.\\.(\\.|\\d+)");
    }
}
