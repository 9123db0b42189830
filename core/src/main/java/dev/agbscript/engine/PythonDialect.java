package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;
import dev.agbscript.session.Language;
import dev.agbscript.session.ExecutionError;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Python 3 as IPython runs it. */
final class PythonDialect implements Dialect {
    private static final Lexicon LEXICON = new Lexicon("#", false, "\"'", true, "");
    private static final Pattern CONTINUATION = Pattern.compile("^(else|elif|except|finally|case)\\b.*|^[)\\]}].*");
    private static final PreludeCalls PRELUDE = PreludeCalls.functions("_agb_", "#", Literals::doubleQuoted);
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

    /**
     * Brackets and strings as in the other languages; then a trailing {@code :} opens a block, a decorator
     * waits for what it decorates, and an indented block runs until a blank line, as in the Python REPL.
     */
    @Override
    public Completeness completeness(String code) {
        Completeness closed = LEXICON.completeness(code);
        if (closed.status() != Status.COMPLETE || code.isBlank()) {
            return closed;
        }
        String[] lines = code.split("\n", -1);
        String last = lines[lines.length - 1];
        if (code.stripTrailing().endsWith(":")) {
            return new Completeness(Status.INCOMPLETE, indentation(lastNonBlank(lines)) + "    ");
        }
        if (lastNonBlank(lines).stripLeading().startsWith("@")) {
            return new Completeness(Status.INCOMPLETE, indentation(lastNonBlank(lines)));
        }
        boolean blockOpen = Arrays.stream(lines).anyMatch(line -> line.stripTrailing().endsWith(":"));
        if (blockOpen && lines.length > 1 && !last.isBlank()) {
            return new Completeness(Status.INCOMPLETE, indentation(last));
        }
        return closed;
    }

    /**
     * A line at column 0 ends the blocks before it, unless it continues them ({@code else}, a closing bracket);
     * a comment starts nothing, as Python's tokenizer ignores its indentation.
     */
    @Override
    public boolean startsStatement(String codeSoFar, String line) {
        return !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")
                && !CONTINUATION.matcher(line).matches()
                && completeness(codeSoFar + "\n\n").status() == Status.COMPLETE;
    }

    private static String lastNonBlank(String[] lines) {
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) return lines[i];
        }
        return "";
    }

    private static String indentation(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return line.substring(0, i);
    }

    /** ipykernel never answers a cell with a NUL character (and then loses its state to the restart). */
    @Override
    public Optional<ExecutionError> refusal(String code) {
        int nul = code.indexOf('\0');
        if (nul < 0) {
            return Optional.empty();
        }
        int line = (int) code.substring(0, nul).chars().filter(c -> c == '\n').count() + 1;
        return Optional.of(new ExecutionError(ExecutionError.Kind.SYNTAX, "SyntaxError",
                "source code cannot contain null bytes", "", line, nul - code.lastIndexOf('\n', nul - 1)));
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
