package dev.agbscript.jupyter;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * agb-jshell marks the position in the cell as {@code --> line N[, column M]}, and names compile errors (and
 * calls of code that cannot run until a missing declaration exists) {@code CompilationError}.
 */
final class AgbJShellErrorParser implements ErrorParser {
    private static final Pattern POSITION = Pattern.compile("^--> line (\\d+)(?:, column (\\d+))?", Pattern.MULTILINE);
    private static final String COMPILATION_ERROR = "CompilationError";

    @Override
    public ExecutionError parse(String name, String value, String traceback, Integer executionCount) {
        Matcher position = POSITION.matcher(traceback);
        int line = -1;
        int column = -1;
        if (position.find()) {
            line = Integer.parseInt(position.group(1));
            column = position.group(2) == null ? -1 : Integer.parseInt(position.group(2));
        }
        return new ExecutionError(COMPILATION_ERROR.equals(name) ? Kind.SYNTAX : Kind.CODE, name, value, traceback,
                line, column);
    }
}
