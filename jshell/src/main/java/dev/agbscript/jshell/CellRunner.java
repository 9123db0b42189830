package dev.agbscript.jshell;

import dev.agbscript.jshell.agent.Declarations;
import dev.agbscript.session.ValueJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Runs the code of one cell in JShell, snippet by snippet, stopping at the first error. The last snippet's
 * value is the cell's result when that snippet is an expression; declarations and statements give none.
 * Errors become {@link CellOutcome.Error}s: compile errors (and calls of code that cannot run until
 * something it references is declared) as {@value #COMPILATION_ERROR}, exceptions by their class name,
 * each with a {@code --> line N} marker naming the line of the cell.
 */
final class CellRunner {
    static final String COMPILATION_ERROR = "CompilationError";
    static final String INTERRUPTED = "Interrupted";
    // Snippet wrappers are classes like REPL.$JShell$12 (nested types: REPL.$JShell$12$MyException).
    /** The first line of a cell that asks for a syntax check of the lines after it. */
    static final String CHECK = "/check\n";
    private static final Pattern DROP = Pattern.compile("\\s*/drop\\s+([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)\\s*");
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[$.]?");

    private static final Logger LOG = Logger.getLogger(CellRunner.class.getName());

    private final JShell shell;
    /** The declarations the agent was last told of. */
    private String[][] sentDeclarations = {{}, {}};
    /** The JSON of the last invocation's value, set by the agent's side channel before the reply. */
    private final AtomicReference<String> lastValueJson;
    /** Where each snippet of the cells run so far started (snippet id → cell line of its first line). */
    private final Map<String, Integer> snippetLines = new HashMap<>();
    private final SpentSnippets spentSnippets;
    private volatile boolean stopRequested;

    CellRunner(JShell shell, AtomicReference<String> lastValueJson) {
        this.shell = shell;
        this.lastValueJson = lastValueJson;
        this.spentSnippets = SpentSnippets.of(shell);
    }

    /** Called on interrupt, just before {@link JShell#stop()}: the running cell ends as interrupted. */
    void markStopRequested() {
        stopRequested = true;
    }

    CellOutcome run(String code) {
        try {
            return runCell(code);
        } finally {
            sendDeclarations();
            spentSnippets.forget();
        }
    }

    /**
     * Tells the agent the active declarations when a cell changed them, for {@code _agb_names()} and
     * {@code _agb_functions()}: JShell's own names ({@code $1} temporaries) and the prelude's are left out. They go as
     * a snippet of their own, a call of {@link Declarations#update}: JShell's extension commands, which carried them
     * before, are gone from the JDK's remote execution (17.0.21 refuses them).
     */
    private void sendDeclarations() {
        String[][] lists = {
                userNames(shell.variables().filter(v -> shell.status(v).isActive()).map(VarSnippet::name)),
                userNames(shell.methods().filter(m -> shell.status(m).isActive()).map(MethodSnippet::name))};
        if (java.util.Arrays.deepEquals(lists, sentDeclarations)) {
            return;
        }
        String call = Declarations.class.getName() + ".update(" + arrayOf(lists[0]) + ", " + arrayOf(lists[1]) + ");";
        try {
            for (SnippetEvent event : shell.eval(call)) {
                if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
                    LOG.warning("Cannot send the declarations to the agent: " + (event.exception() != null
                            ? event.exception() : shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList()));
                    return;
                }
            }
            sentDeclarations = lists;
        } catch (RuntimeException e) { // the agent is gone: the next cell starts a new one
            LOG.warning("Cannot send the declarations to the agent: " + e);
        }
    }

    /** A Java array expression of the names (identifiers: no quote or backslash in them). */
    private static String arrayOf(String[] names) {
        return java.util.Arrays.stream(names).map(name -> '"' + name + '"')
                .collect(java.util.stream.Collectors.joining(", ", "new String[] {", "}"));
    }

    private static String[] userNames(java.util.stream.Stream<String> declared) {
        return declared.filter(name -> !name.startsWith("$") && !name.startsWith("_agb"))
                .distinct().sorted().toArray(String[]::new);
    }

    private CellOutcome runCell(String code) {
        Matcher drop = DROP.matcher(code);
        if (drop.matches()) {
            return drop(drop.group(1));
        }
        if (code.startsWith(CHECK)) {
            // "/check" then the code on the next lines: its syntax, checked, nothing run (compile() in hosts)
            Optional<Map<String, Object>> error = SyntaxCheck.firstError(shell.sourceCodeAnalysis(),
                    code.substring(CHECK.length()));
            return CellOutcome.value(error.map(String::valueOf).orElse("null"),
                    error.map(ValueJson::write).orElse("null"));
        }
        stopRequested = false;
        snippetLines.clear();
        List<CellSplitter.Piece> pieces = CellSplitter.split(shell.sourceCodeAnalysis(), code);
        CellOutcome outcome = CellOutcome.nothing();
        for (CellSplitter.Piece piece : pieces) {
            if (stopRequested) {
                return interrupted(); // the interrupt came between two snippets
            }
            outcome = runPiece(code, piece);
            if (outcome.failed()) {
                return outcome;
            }
            if (stopRequested) {
                return interrupted();
            }
        }
        return outcome;
    }

    private CellOutcome runPiece(String code, CellSplitter.Piece piece) {
        lastValueJson.set(null);
        List<SnippetEvent> events = shell.eval(piece.source());
        int startLine = CellSplitter.lineAt(code, piece.offset());
        CellOutcome outcome = CellOutcome.nothing();
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet updated as a consequence; not this code's result
            }
            Snippet snippet = event.snippet();
            snippetLines.put(snippet.id(), startLine);
            if (event.status() == Snippet.Status.REJECTED) {
                return compileError(code, piece, snippet);
            }
            JShellException exception = event.exception();
            if (exception != null) {
                return exception instanceof UnresolvedReferenceException unresolved
                        ? unresolved(unresolved, startLine) // the call site, not the declaration
                        : runtimeError(exception, startLine);
            }
            if (stopRequested) {
                return interrupted();
            }
            if (isExpression(snippet) && event.value() != null) {
                outcome = CellOutcome.value(event.value(), lastValueJson.get());
            }
            if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND && event.status().isActive()) {
                // The expression's value is read: its $N variable goes (the agent has let go of the value). Every
                // active variable is an import of each later snippet's class, so keeping them made every eval
                // compile longer than the one before (26 ms for a session's first evals, 103 ms after 1,500).
                shell.drop(snippet);
            }
        }
        return outcome;
    }

    /**
     * The jshell tool's {@code /drop NAME}: the active variables, methods and types of that name are gone (the
     * engine's way to remove a variable, which a snippet cannot do).
     */
    private CellOutcome drop(String name) {
        List<Snippet> named = java.util.stream.Stream.of(shell.variables(), shell.methods(), shell.types())
                .flatMap(s -> s).filter(s -> s.name().equals(name) && shell.status(s).isActive())
                .map(Snippet.class::cast).toList();
        if (named.isEmpty()) {
            return CellOutcome.failure(COMPILATION_ERROR, "no declaration named " + name,
                    List.of(COMPILATION_ERROR + ": no declaration named " + name));
        }
        named.forEach(shell::drop);
        return CellOutcome.nothing();
    }

    /** Expressions give the cell's value; declarations and statements do not. */
    private static boolean isExpression(Snippet snippet) {
        return switch (snippet.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    private CellOutcome compileError(String code, CellSplitter.Piece piece, Snippet snippet) {
        List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).toList();
        if (errors.isEmpty()) {
            int line = CellSplitter.lineAt(code, piece.offset());
            return CellOutcome.failure(COMPILATION_ERROR, "the snippet was rejected",
                    List.of(COMPILATION_ERROR + ": the snippet was rejected", "--> line " + line));
        }
        Diag first = errors.get(0);
        List<String> traceback = new ArrayList<>();
        String message = first.getMessage(Locale.ROOT);
        traceback.add(COMPILATION_ERROR + ": " + message);
        for (Diag diag : errors) {
            long position = diag.getPosition() >= 0 ? diag.getPosition() : diag.getStartPosition();
            int offset = piece.offset() + (int) Math.max(0, Math.min(position, piece.source().length()));
            int line = CellSplitter.lineAt(code, offset);
            int column = CellSplitter.columnAt(code, offset);
            if (diag != first) {
                traceback.add(COMPILATION_ERROR + ": " + diag.getMessage(Locale.ROOT));
            }
            traceback.add("--> line " + line + ", column " + column);
            String[] lines = code.split("\n", -1);
            if (line - 1 < lines.length) {
                traceback.add("    " + lines[line - 1]);
                traceback.add("    " + " ".repeat(Math.max(0, column - 1)) + "^");
            }
        }
        return CellOutcome.failure(COMPILATION_ERROR, message, traceback);
    }

    private CellOutcome unresolved(UnresolvedReferenceException exception, int startLine) {
        Snippet declaration = exception.getSnippet();
        List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) declaration).toList();
        String value = "cannot run " + describe(declaration) + " until " + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " declared";
        List<String> traceback = new ArrayList<>();
        traceback.add(COMPILATION_ERROR + ": " + value);
        traceback.add("--> line " + startLine);
        return CellOutcome.failure(COMPILATION_ERROR, value, traceback);
    }

    private static String describe(Snippet snippet) {
        String source = snippet.source().strip();
        int brace = source.indexOf('{');
        return (brace > 0 ? source.substring(0, brace) : source).strip();
    }

    private CellOutcome runtimeError(JShellException exception, int startLine) {
        String name = exception instanceof EvalException eval ? cleanClassName(eval.getExceptionClassName())
                : exception.getClass().getName();
        String value = exception.getMessage() == null ? "" : exception.getMessage();
        List<String> traceback = new ArrayList<>();
        traceback.add(value.isEmpty() ? name : name + ": " + value);
        traceback.add("--> line " + lineOf(exception.getStackTrace(), startLine));
        appendFrames(traceback, exception);
        Throwable cause = exception.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
            String causeName = cause instanceof EvalException eval ? cleanClassName(eval.getExceptionClassName())
                    : cause.getClass().getName();
            traceback.add("Caused by: " + causeName + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            appendFrames(traceback, cause);
        }
        return CellOutcome.failure(name, value, traceback);
    }

    private void appendFrames(List<String> traceback, Throwable exception) {
        for (StackTraceElement frame : exception.getStackTrace()) {
            String file = frame.getFileName();
            String where;
            if (file != null && file.startsWith("#")) {
                Integer cellLine = snippetLines.get(file.substring(1));
                where = cellLine != null && frame.getLineNumber() > 0
                        ? "line " + (cellLine + frame.getLineNumber() - 1)
                        : "snippet " + file + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "");
            } else {
                where = (file == null ? "Unknown Source" : file)
                        + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "");
            }
            String className = cleanClassName(frame.getClassName());
            // JShell names a snippet's own code with empty class and method names.
            String method = className.isEmpty() && frame.getMethodName().isEmpty() ? "<snippet>"
                    : (className.isEmpty() ? "" : className + ".") + frame.getMethodName();
            traceback.add("\tat " + method + "(" + where + ")");
        }
    }

    /** The cell line of the innermost frame that belongs to this cell, else the snippet's first line. */
    private int lineOf(StackTraceElement[] frames, int fallback) {
        for (StackTraceElement frame : frames) {
            String file = frame.getFileName();
            if (file != null && file.startsWith("#") && frame.getLineNumber() > 0) {
                Integer cellLine = snippetLines.get(file.substring(1));
                if (cellLine != null) {
                    return cellLine + frame.getLineNumber() - 1;
                }
            }
        }
        return fallback;
    }

    static String cleanClassName(String className) {
        if (className == null) {
            return "";
        }
        Matcher wrapper = WRAPPER.matcher(className);
        return wrapper.lookingAt() ? className.substring(wrapper.end()) : className;
    }

    private static CellOutcome interrupted() {
        return CellOutcome.failure(INTERRUPTED, "the execution was interrupted",
                List.of(INTERRUPTED + ": the execution was interrupted"));
    }

    /** The classes the compiler sees (for tests). */
    java.util.Set<String> compiledClassNames() {
        return spentSnippets.compiledClasses();
    }

    /** True when the variable exists (for tests and diagnostics). */
    boolean hasVariable(String name) {
        return shell.variables().map(VarSnippet::name).anyMatch(name::equals);
    }
}
