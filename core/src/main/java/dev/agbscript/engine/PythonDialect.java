package dev.agbscript.engine;

import dev.agbscript.session.Language;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Python 3 as IPython runs it. */
final class PythonDialect implements Dialect {
    private static final PreludeCalls PRELUDE = PreludeCalls.functions("_agb_", Literals::doubleQuoted);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async",
            "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
            "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
            "return", "try", "while", "with", "yield");

    @Override
    public Language language() {
        return Language.PYTHON;
    }

    @Override
    public List<String> names() {
        return List.of("agb-python", "agb-py", "agb-python3");
    }

    @Override
    public List<String> extensions() {
        return List.of("py");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("text/x-python", "text/python", "application/x-python", "application/python");
    }

    @Override
    public String outputStatement(String text) {
        return "print(" + Literals.doubleQuoted(text) + ")";
    }

    @Override
    public String methodCallSyntax(String object, String method, String... args) {
        return object + "." + method + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String program(String... statements) {
        return String.join("\n", statements);
    }

    @Override
    public String stringLiteral(String text) {
        return Literals.doubleQuoted(text);
    }

    @Override
    public PreludeCalls prelude() {
        return PRELUDE;
    }

    @Override
    public boolean isIdentifier(String name) {
        return IDENTIFIER.matcher(name).matches() && !KEYWORDS.contains(name);
    }
}
