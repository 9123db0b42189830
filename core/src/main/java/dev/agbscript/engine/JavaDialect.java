package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Language;
import dev.agbscript.session.Quoting;
import dev.agbscript.session.ValueJson;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Java as the agb-jshell kernel runs it (JShell snippets). */
final class JavaDialect implements Dialect {
    private static final Lexicon LEXICON = new Lexicon("//", true, "\"'", true, "");
    private static final PreludeCalls PRELUDE = new JavaPreludeCalls();
    /** Java caps a string constant at 65535 UTF-8 bytes; longer texts are joined from pieces at run time. */
    private static final int LITERAL_CHUNK = 8000;
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "_");

    @Override
    public Language language() {
        return Language.JAVA;
    }

    @Override
    public List<String> names() {
        return List.of("agb-java", "agb-jshell");
    }

    @Override
    public List<String> extensions() {
        return List.of("java", "jsh");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("text/x-java", "text/x-java-source");
    }

    @Override
    public String outputStatement(String text) {
        return "System.out.println(" + literal(text) + ");";
    }

    @Override
    public String methodCallSyntax(String object, String method, String... args) {
        return object + "." + method + "(" + String.join(", ", args) + ")";
    }

    /** The statements, one per line, each ending in a semicolon (blocks ending in a brace are left as they are). */
    @Override
    public String program(String... statements) {
        List<String> lines = new ArrayList<>();
        for (String statement : statements) {
            String trimmed = statement.strip();
            lines.add(trimmed.endsWith(";") || trimmed.endsWith("}") ? trimmed : trimmed + ";");
        }
        return String.join("\n", lines);
    }

    @Override
    public String stringLiteral(String text) {
        return literal(text);
    }

    @Override
    public Completeness completeness(String code) {
        return LEXICON.completeness(code);
    }

    @Override
    public PreludeCalls prelude() {
        return PRELUDE;
    }

    @Override
    public boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || KEYWORDS.contains(name) || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        return name.chars().skip(1).allMatch(Character::isJavaIdentifierPart);
    }

    /**
     * A Java string expression with the text's value: ASCII only, so nothing depends on the source
     * encoding. Control characters use octal escapes and other non-ASCII characters {@code \\uXXXX}; a
     * {@code \\u} never stands for a quote, a backslash or a line end, which Java would translate before
     * lexing. Long texts become {@code String.join("", ...)} of pieces under the constant limit.
     */
    static String literal(String text) {
        if (text.length() <= LITERAL_CHUNK) {
            return quoted(text);
        }
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += LITERAL_CHUNK) {
            int end = Math.min(text.length(), start + LITERAL_CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // keep a surrogate pair together
            }
            pieces.add(quoted(text.substring(start, end)));
            start = end - LITERAL_CHUNK;
        }
        return "String.join(\"\", " + String.join(", ", pieces) + ")";
    }

    /** ASCII only: controls as octal escapes (a {@code \\u000a} would end the line before lexing), others as {@code \\u}. */
    private static final Quoting.CharRule JAVA_CHARACTERS = (out, c) -> {
        if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\%03o", c));
        } else if (c > 0x7e) {
            Quoting.unicodeEscape(out, c);
        } else {
            out.append((char) c);
        }
    };

    private static String quoted(String text) {
        return Quoting.quoted(text, JAVA_CHARACTERS);
    }
}
