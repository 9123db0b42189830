package dev.agbscript.jupyter;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ipykernel's tracebacks (IPython 8) name each frame of a cell {@code Cell In[3], line 5}. */
final class IpykernelErrorParser implements ErrorParser {
    private static final Pattern FRAME = Pattern.compile("Cell In ?\\[(\\d+)\\], line (\\d+)");
    private static final Set<String> SYNTAX = Set.of("SyntaxError", "IndentationError", "TabError");

    @Override
    public ExecutionError parse(String name, String value, String traceback, Integer executionCount) {
        int line = -1;
        int column = -1;
        Matcher frame = FRAME.matcher(traceback);
        int lastFrameEnd = -1;
        while (frame.find()) {
            // The innermost frame in this cell is where the error happened in the submitted code.
            if (executionCount == null || Integer.parseInt(frame.group(1)) == executionCount || line < 0) {
                line = Integer.parseInt(frame.group(2));
                lastFrameEnd = frame.end();
            }
        }
        boolean syntax = SYNTAX.contains(name);
        if (syntax && lastFrameEnd >= 0) {
            // The code line is shown indented by four spaces, the caret line under it.
            for (String candidate : traceback.substring(lastFrameEnd).split("\n")) {
                int caret = candidate.indexOf('^');
                if (caret >= 0 && candidate.substring(0, caret).isBlank()) {
                    column = Math.max(1, caret - 4 + 1);
                    break;
                }
            }
        }
        return new ExecutionError(syntax ? Kind.SYNTAX : Kind.CODE, name, value, traceback, line, column);
    }
}
