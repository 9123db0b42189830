package dev.agbscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionError.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each kernel's parser on the {@code error} messages that kernel really sent (recorded from the installed
 * kernels, with the preludes run: {@code tracebacks/<kernel>.json}, the code beside each error).
 */
class ErrorParserTest {
    @Test
    void ipykernelGivesTheInnermostLineOfTheCellAndTheCaretOfASyntaxError() throws IOException {
        List<ExecutionError> errors = parseAll("ipykernel", ErrorParser.IPYKERNEL);
        assertError(errors.get(0), Kind.CODE, "ZeroDivisionError", 3, -1);
        assertEquals("division by zero", errors.get(0).value());
        assertError(errors.get(1), Kind.SYNTAX, "SyntaxError", 2, 9);
        assertError(errors.get(2), Kind.CODE, "ZeroDivisionError", 2, -1); // in f(), called on line 4
        assertError(errors.get(3), Kind.SYNTAX, "IndentationError", 2, 1);
    }

    @Test
    void irkernelParseErrorsBecomeSyntaxErrorsAndOthersGetThePreludesLine() throws IOException {
        List<ExecutionError> errors = parseAll("irkernel", ErrorParser.IRKERNEL);
        assertError(errors.get(0), Kind.SYNTAX, "SyntaxError", 2, 6);
        assertTrue(errors.get(0).value().startsWith("unexpected ')'"), errors.get(0).value());
        assertError(errors.get(1), Kind.CODE, "Error", 3, -1);
        assertEquals("boom", errors.get(1).value());
        assertError(errors.get(2), Kind.CODE, "Error", 3, -1);
        assertEquals("inner", errors.get(2).value());
    }

    @Test
    void tslabGivesTheFirstFrameOfTheCellAndTellsCompileErrors() throws IOException {
        List<ExecutionError> errors = parseAll("tslab", ErrorParser.TSLAB);
        assertError(errors.get(0), Kind.CODE, "TypeError", 3, 3);
        assertError(errors.get(1), Kind.SYNTAX, "SyntaxError", 3, 1);
        assertError(errors.get(2), Kind.CODE, "RangeError", 2, 9); // thrown in f(), called on line 4
    }

    @Test
    void agbJShellGivesItsMarkedPositionAndTellsCompilationErrors() throws IOException {
        List<ExecutionError> errors = parseAll("agb-jshell", ErrorParser.AGB_JSHELL);
        assertError(errors.get(0), Kind.CODE, "java.lang.ArithmeticException", 3, -1);
        assertError(errors.get(1), Kind.SYNTAX, "CompilationError", 2, 13);
        assertError(errors.get(2), Kind.CODE, "java.lang.NullPointerException", 3, -1);
    }

    @Test
    void aFrameOfAnEarlierCellIsNotTakenForOneOfThisCell() {
        String traceback = "RangeError: old\n    at g (agb-cell-2:7:5)\n    at agb-cell-5:1:1";
        ExecutionError error = ErrorParser.TSLAB.parse("RangeError", "old", traceback, 5);
        assertEquals(1, error.line());
    }

    @Test
    void theTracebackLosesItsTerminalColors() {
        String plain = ErrorParser.plainText(List.of("\u001b[0;31mZeroDivisionError\u001b[0m: x", "\u001b[1;32mline\u001b[0m"));
        assertEquals("ZeroDivisionError: x\nline", plain);
    }

    private static void assertError(ExecutionError error, Kind kind, String name, int line, int column) {
        assertEquals(kind, error.kind(), error::toString);
        assertEquals(name, error.name(), error::toString);
        assertEquals(line, error.line(), () -> "line of " + error + "\n" + error.traceback());
        assertEquals(column, error.column(), () -> "column of " + error + "\n" + error.traceback());
        assertFalse(error.traceback().contains("\u001b["), "terminal colors are left in the traceback");
    }

    /** The recorded errors of a kernel, parsed as the client parses them. */
    private static List<ExecutionError> parseAll(String kernel, ErrorParser parser) throws IOException {
        List<ExecutionError> parsed = new ArrayList<>();
        for (JsonElement element : recorded(kernel)) {
            JsonObject error = element.getAsJsonObject();
            List<String> traceback = new ArrayList<>();
            error.getAsJsonArray("traceback").forEach(line -> traceback.add(line.getAsString()));
            parsed.add(parser.parse(error.get("ename").getAsString(), error.get("evalue").getAsString(),
                    ErrorParser.plainText(traceback), error.get("execution_count").getAsInt()));
        }
        return parsed;
    }

    static JsonArray recorded(String kernel) throws IOException {
        try (InputStream in = ErrorParserTest.class.getResourceAsStream("tracebacks/" + kernel + ".json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonArray();
        }
    }
}
