package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Language;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** JavaScript as Node.js runs it in the agb JavaScript kernel (tslab's server, V8's REPL mode). */
final class JavaScriptDialect implements Dialect {
    private static final Lexicon LEXICON = new Lexicon("//", true, "\"'`", false, "`");
    private static final PreludeCalls PRELUDE = PreludeCalls.functions("_agb_", "//", Literals::doubleQuoted);
    // ASCII identifiers only: bindings with other names are not sent.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Set<String> RESERVED = Set.of("break", "case", "catch", "class", "const", "continue",
            "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
            "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this",
            "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static",
            "implements", "interface", "package", "private", "protected", "public", "await", "arguments", "eval",
            "undefined", "NaN", "Infinity");

    @Override
    public Language language() {
        return Language.JAVASCRIPT;
    }

    @Override
    public List<String> names() {
        return List.of("agb-javascript", "agb-js", "agb-node", "agb-nodejs");
    }

    @Override
    public List<String> extensions() {
        return List.of("js", "mjs", "cjs");
    }

    @Override
    public List<String> mimeTypes() {
        return List.of("application/javascript", "text/javascript", "application/ecmascript", "text/ecmascript");
    }

    @Override
    public String outputStatement(String text) {
        return "console.log(" + stringLiteral(text) + ")";
    }

    @Override
    public String methodCallSyntax(String object, String method, String... args) {
        return object + "." + method + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String program(String... statements) {
        StringBuilder program = new StringBuilder();
        for (String statement : statements) {
            program.append(statement).append(statement.stripTrailing().endsWith(";") ? "\n" : ";\n");
        }
        return program.toString();
    }

    @Override
    public String stringLiteral(String text) {
        return Literals.doubleQuoted(text);
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
        return IDENTIFIER.matcher(name).matches() && !RESERVED.contains(name);
    }
}
