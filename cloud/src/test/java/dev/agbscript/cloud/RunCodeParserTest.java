package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each shape the official parser accepts (agb-protocol.md §3), as recorded there. */
class RunCodeParserTest {
    @Test
    void currentFormatWithObjectAndDoubleEncodedItems() {
        String text = """
                {"result": [
                   "{\\"text/plain\\": \\"<Figure>\\", \\"image/png\\": \\"iVBORw0K\\"}",
                   "\\"{\\\\\\"text/plain\\\\\\": \\\\\\"42\\\\\\", \\\\\\"isMainResult\\\\\\": true}\\"",
                   {"text/html": "<b>x</b>", "application/vnd.vegalite.v4+json": {"mark": "bar"}},
                   "not json at all"],
                 "stdout": ["a\\n", "b\\n"], "stderr": ["warn\\n"],
                 "execution_count": 7, "execution_time": 1.5}
                """;
        ExecutionResult r = RunCodeParser.parse(text, "req-1");

        assertTrue(r.success());
        assertEquals(4, r.results().size());
        assertEquals("iVBORw0K", r.results().get(0).png());
        assertFalse(r.results().get(0).isMainResult());
        assertEquals("42", r.mainResult().get().text(), "double-encoded bundle with its main flag");
        assertEquals("<b>x</b>", r.results().get(2).html());
        assertEquals("{\"mark\":\"bar\"}", r.results().get(2).chart());
        assertEquals("not json at all", r.results().get(3).text());
        assertEquals(List.of("a\n", "b\n"), r.logs().stdout());
        assertEquals("warn\n", r.logs().stderrText());
        assertEquals(7, r.executionCount().getAsInt());
        assertEquals(Duration.ofMillis(1500), r.executionTime());
        assertEquals("req-1", r.requestId());
    }

    @Test
    void currentFormatCarriesTheValueProtocol() {
        ExecutionResult r = RunCodeParser.parse(FakeAgbService.newFormat(
                List.of(FakeAgbService.valueBundle("[1, 2]", "[1,2]")), List.of(), List.of(), null), "r");
        assertEquals("[1,2]", r.mainResult().get().valueJson());
        assertFalse(r.mainResult().get().data().containsKey(MimeBundle.AGB_VALUE));
    }

    @Test
    void shortKeysAreTheirMimeTypes() {
        ExecutionResult r = RunCodeParser.parse("{\"result\":[{\"text\":\"t\",\"markdown\":\"*m*\",\"svg\":\"<svg/>\","
                + "\"json\":{\"a\":1},\"latex\":\"x^2\",\"jpeg\":\"/9j\",\"is_main_result\":true}]}", "r");
        MimeBundle b = r.mainResult().get();
        assertEquals("t", b.text());
        assertEquals("*m*", b.markdown());
        assertEquals("<svg/>", b.svg());
        assertEquals("{\"a\":1}", b.json());
        assertEquals("x^2", b.latex());
        assertEquals("/9j", b.jpeg());
    }

    @Test
    void executionErrorKeepsItsNameOrIsNamedExecutionError() {
        ExecutionResult named = RunCodeParser.parse("{\"result\":[],\"executionError\":\"ZeroDivisionError: division by zero\"}", "r");
        assertEquals(new ExecutionError("ZeroDivisionError", "division by zero", ""), named.error().get());

        ExecutionResult traceback = RunCodeParser.parse("{\"executionError\":\"Traceback (most recent call last):\\n"
                + "  File x\\nValueError: bad\"}", "r");
        assertEquals("ValueError", traceback.error().get().name());
        assertTrue(traceback.error().get().traceback().startsWith("Traceback"));

        ExecutionResult other = RunCodeParser.parse("{\"executionError\":\"kernel died\"}", "r");
        assertEquals("ExecutionError", other.error().get().name());
        assertEquals("kernel died", other.error().get().value());
    }

    @Test
    void serverTimeoutIsATimeout() {
        ExecutionResult r = RunCodeParser.parse("{\"result\":[],\"executionError\":\"TimeoutError\"}", "r");
        assertTrue(r.error().get().isTimeout());
    }

    @Test
    void payloadWrappedInContentText() {
        String inner = "{\\\"result\\\":[],\\\"stdout\\\":[\\\"wrapped\\\"]}";
        ExecutionResult r = RunCodeParser.parse("{\"content\":[{\"type\":\"text\",\"text\":\"" + inner + "\"}]}", "r");
        assertEquals("wrapped", r.logs().stdoutText());
    }

    @Test
    void richFormat() {
        ExecutionResult r = RunCodeParser.parse("""
                {"logs": {"stdout": ["out"], "stderr": ["err"]},
                 "results": [{"text": "3", "is_main_result": true}, {"html": "<i>d</i>"}],
                 "error": {"name": "KeyError", "value": "'k'", "traceback": "tb"},
                 "execution_count": 2, "execution_time": 0.1, "isError": true}
                """, "r");
        assertEquals("3", r.mainResult().get().text());
        assertEquals("<i>d</i>", r.results().get(1).html());
        assertEquals(new ExecutionError("KeyError", "'k'", "tb"), r.error().get());
        assertEquals("out", r.logs().stdoutText());
        assertEquals("err", r.logs().stderrText());
        assertEquals(2, r.executionCount().getAsInt());
    }

    @Test
    void richFormatSuccess() {
        ExecutionResult r = RunCodeParser.parse("{\"logs\":{\"stdout\":[],\"stderr\":[]},\"results\":"
                + "[{\"text\":\"ok\",\"is_main_result\":true}],\"isError\":false}", "r");
        assertTrue(r.success());
        assertEquals("ok", r.text());
    }

    @Test
    void legacyContentForm() {
        ExecutionResult r = RunCodeParser.parse("{\"content\":[{\"text\":\"legacy out\"}]}", "r");
        assertEquals("legacy out", r.mainResult().get().text());
        assertEquals("legacy out", r.logs().stdoutText());
        assertThrows(AgbProtocolException.class, () -> RunCodeParser.parse("{\"content\":[{\"type\":\"image\"}]}", "r"));
    }

    @Test
    void plainTextAndEmpty() {
        assertEquals("hello", RunCodeParser.parse("hello", "r").text());
        assertEquals("[1, 2]", RunCodeParser.parse("[1, 2]", "r").mainResult().get().text());
        AgbProtocolException e = assertThrows(AgbProtocolException.class, () -> RunCodeParser.parse("  ", "req-e"));
        assertTrue(e.getMessage().contains("req-e"));
    }

    @Test
    void isErrorIsTheToolLayer() {
        AgbToolException e = assertThrows(AgbToolException.class, () -> RunCodeParser.parse(
                "{\"isError\":true,\"content\":[{\"text\":\"a\"},{\"text\":\"b\"}]}", "req-t"));
        assertTrue(e.getMessage().contains("Error in response: a; b") && e.getMessage().contains("req-t"), e.getMessage());
    }
}
