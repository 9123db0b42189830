package dev.agbscript.jshell;

import com.sun.source.util.JavacTask;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The syntax of a cell, checked without running anything (JShell itself compiles a snippet only to run it):
 * each snippet as JShell wraps it into a class, parsed by javac, the first error mapped back to the cell.
 */
final class SyntaxCheck {
    private SyntaxCheck() {}

    /** The first syntax error: name, message, 1-based line and column in the cell; empty when it parses. */
    static Optional<Map<String, Object>> firstError(SourceCodeAnalysis analysis, String code) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (CellSplitter.Piece piece : CellSplitter.split(analysis, code)) {
            for (SourceCodeAnalysis.SnippetWrapper wrapper : analysis.wrappers(piece.source())) {
                Diagnostic<? extends JavaFileObject> error = parseError(javac, wrapper.wrapped());
                if (error == null) {
                    continue;
                }
                int inSnippet = Math.max(0, wrapper.wrappedToSourcePosition((int) error.getPosition()));
                int snippetStart = Math.max(0, piece.source().indexOf(wrapper.source()));
                int offset = Math.min(code.length(), piece.offset() + snippetStart + inSnippet);
                Map<String, Object> found = new LinkedHashMap<>();
                found.put("name", CellRunner.COMPILATION_ERROR);
                found.put("message", error.getMessage(Locale.ROOT));
                found.put("line", CellSplitter.lineAt(code, offset));
                found.put("column", CellSplitter.columnAt(code, offset));
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    private static Diagnostic<? extends JavaFileObject> parseError(JavaCompiler javac, String source) {
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, null, diagnostics, List.of("-proc:none"), null, List.of(file));
        try {
            task.parse();
        } catch (java.io.IOException e) {
            return null;
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .findFirst().orElse(null);
    }
}
