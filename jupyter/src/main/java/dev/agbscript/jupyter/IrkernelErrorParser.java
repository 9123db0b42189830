package dev.agbscript.jupyter;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IRkernel names every error "ERROR" and gives no line; a parse error becomes a "SyntaxError" with the line
 * and column R's parser reports, any other an "Error" with the line the R prelude adds.
 */
final class IrkernelErrorParser implements ErrorParser {
    // "Error in parse(text = x, srcfile = src): <text>:2:6: unexpected ')'" (1-based; column 0 at the end).
    private static final Pattern PARSE = Pattern.compile("Error in parse\\(text = [^)]*\\): <text>:(\\d+):(\\d+): ");
    // Added by the R prelude, which finds the top-level expression that failed.
    private static final Pattern CELL_LINE = Pattern.compile("\\(at line (\\d+) of the cell\\)");

    @Override
    public ExecutionError parse(String name, String value, String traceback, Integer executionCount) {
        String message = value == null ? "" : value.strip();
        Matcher parse = PARSE.matcher(message);
        if (parse.find()) {
            return new ExecutionError(Kind.SYNTAX, "SyntaxError", message.substring(parse.end()), traceback,
                    Integer.parseInt(parse.group(1)), Math.max(1, Integer.parseInt(parse.group(2))));
        }
        Matcher cellLine = CELL_LINE.matcher(traceback);
        int line = cellLine.find() ? Integer.parseInt(cellLine.group(1)) : -1;
        return new ExecutionError(Kind.CODE, "Error", message.replaceFirst("^Error( in .*?)?: ", ""), traceback,
                line, -1);
    }
}
