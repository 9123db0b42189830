package dev.agbscript.jupyter;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tslab with the JavaScript prelude, which names each cell's script {@code agb-cell-<execution count>}: frames
 * read {@code at agb-cell-3:2:11}, and a compile error starts its traceback like Node's own report,
 * {@code agb-cell-3:2}.
 */
final class TslabErrorParser implements ErrorParser {
    private static final Pattern FRAME = Pattern.compile("agb-cell-(\\d+):(\\d+)(?::(\\d+))?");
    private static final Pattern COMPILE_HEADER = Pattern.compile("^agb-cell-\\d+:\\d+(:\\d+)?$");

    @Override
    public ExecutionError parse(String name, String value, String traceback, Integer executionCount) {
        int line = -1;
        int column = -1;
        Matcher frame = FRAME.matcher(traceback);
        while (frame.find()) {
            // The innermost frame of the submitted code: the first one of this cell.
            if (executionCount == null || Integer.parseInt(frame.group(1)) == executionCount) {
                line = Integer.parseInt(frame.group(2));
                column = frame.group(3) == null ? -1 : Integer.parseInt(frame.group(3));
                break;
            }
        }
        boolean syntax = COMPILE_HEADER.matcher(traceback.lines().findFirst().orElse("")).matches();
        return new ExecutionError(syntax ? Kind.SYNTAX : Kind.CODE, name, value, traceback, line, column);
    }
}
