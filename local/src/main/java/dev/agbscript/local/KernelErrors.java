package dev.agbscript.local;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import dev.agbscript.session.Language;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a kernel's {@code error} message (ename, evalue, traceback lines with terminal colors) into an
 * {@link ExecutionError} with the line and column in the submitted code where the traceback tells them.
 */
final class KernelErrors {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    // IPython 8: "Cell In [3], line 5" (runtime frames and syntax errors alike).
    private static final Pattern IPYTHON_FRAME = Pattern.compile("Cell In ?\\[(\\d+)\\], line (\\d+)");
    private static final Set<String> PYTHON_SYNTAX = Set.of("SyntaxError", "IndentationError", "TabError");

    private KernelErrors() {}

    static String stripAnsi(String text) {
        return ANSI.matcher(text).replaceAll("");
    }

    static ExecutionError parse(Language language, String name, String value, List<String> traceback,
                                Integer executionCount) {
        String text = stripAnsi(String.join("\n", traceback));
        if (language == Language.PYTHON) {
            return python(name, value, text, executionCount);
        }
        if (language == Language.JAVA) {
            return java(name, value, text);
        }
        if (language == Language.R) {
            return r(value, text);
        }
        if (language == Language.JAVASCRIPT) {
            return javaScript(name, value, text, executionCount);
        }
        return new ExecutionError(name, value, text);
    }

    // --- JAVA case: the agb-jshell kernel marks the position as "--> line N[, column M]" ---
    private static final Pattern JSHELL_POSITION = Pattern.compile("^--> line (\\d+)(?:, column (\\d+))?",
            Pattern.MULTILINE);
    /** Compile errors, and calls of code that cannot run until a missing declaration exists. */
    private static final String JSHELL_COMPILATION_ERROR = "CompilationError";

    private static ExecutionError java(String name, String value, String text) {
        Matcher position = JSHELL_POSITION.matcher(text);
        int line = -1;
        int column = -1;
        if (position.find()) {
            line = Integer.parseInt(position.group(1));
            column = position.group(2) == null ? -1 : Integer.parseInt(position.group(2));
        }
        return new ExecutionError(JSHELL_COMPILATION_ERROR.equals(name) ? Kind.SYNTAX : Kind.CODE, name, value, text,
                line, column);
    }
    // --- end of the JAVA case ---

    // IRkernel: "Error in parse(text = x, srcfile = src): <text>:2:6: unexpected ')'" (1-based; 0 at the end).
    private static final Pattern R_PARSE = Pattern.compile("Error in parse\\(text = [^)]*\\): <text>:(\\d+):(\\d+): ");
    // Added by the R prelude, which finds the top-level expression that failed.
    private static final Pattern R_CELL_LINE = Pattern.compile("\\(at line (\\d+) of the cell\\)");

    /** IRkernel names every error "ERROR"; a parse error becomes a "SyntaxError", any other an "Error". */
    private static ExecutionError r(String value, String text) {
        String message = value == null ? "" : value.strip();
        Matcher parse = R_PARSE.matcher(message);
        if (parse.find()) {
            return new ExecutionError(Kind.SYNTAX, "SyntaxError", message.substring(parse.end()), text,
                    Integer.parseInt(parse.group(1)), Math.max(1, Integer.parseInt(parse.group(2))));
        }
        Matcher cellLine = R_CELL_LINE.matcher(text);
        int line = cellLine.find() ? Integer.parseInt(cellLine.group(1)) : -1;
        return new ExecutionError(Kind.CODE, "Error", message.replaceFirst("^Error( in .*?)?: ", ""), text, line, -1);
    }

    // The JavaScript prelude names each cell's script "agb-cell-<execution count>"; a compile error starts
    // its traceback like Node's own report, "agb-cell-3:2".
    private static final Pattern JS_FRAME = Pattern.compile("agb-cell-(\\d+):(\\d+)(?::(\\d+))?");
    private static final Pattern JS_COMPILE_HEADER = Pattern.compile("^agb-cell-\\d+:\\d+(:\\d+)?$");

    private static ExecutionError javaScript(String name, String value, String text, Integer executionCount) {
        int line = -1;
        int column = -1;
        Matcher frame = JS_FRAME.matcher(text);
        while (frame.find()) {
            // The innermost frame of the submitted code: the first one of this cell.
            if (executionCount == null || Integer.parseInt(frame.group(1)) == executionCount) {
                line = Integer.parseInt(frame.group(2));
                column = frame.group(3) == null ? -1 : Integer.parseInt(frame.group(3));
                break;
            }
        }
        boolean syntax = JS_COMPILE_HEADER.matcher(text.lines().findFirst().orElse("")).matches();
        return new ExecutionError(syntax ? Kind.SYNTAX : Kind.CODE, name, value, text, line, column);
    }

    private static ExecutionError python(String name, String value, String text, Integer executionCount) {
        int line = -1;
        int column = -1;
        Matcher frame = IPYTHON_FRAME.matcher(text);
        int lastFrameEnd = -1;
        while (frame.find()) {
            // The innermost frame in this cell is where the error happened in the submitted code.
            if (executionCount == null || Integer.parseInt(frame.group(1)) == executionCount || line < 0) {
                line = Integer.parseInt(frame.group(2));
                lastFrameEnd = frame.end();
            }
        }
        boolean syntax = PYTHON_SYNTAX.contains(name);
        if (syntax && lastFrameEnd >= 0) {
            // The code line is shown indented by four spaces, the caret line under it.
            String[] after = text.substring(lastFrameEnd).split("\n");
            for (String candidate : after) {
                int caret = candidate.indexOf('^');
                if (caret >= 0 && candidate.substring(0, caret).isBlank()) {
                    column = Math.max(1, caret - 4 + 1);
                    break;
                }
            }
        }
        return new ExecutionError(syntax ? Kind.SYNTAX : Kind.CODE, name, value, text, line, column);
    }
}
