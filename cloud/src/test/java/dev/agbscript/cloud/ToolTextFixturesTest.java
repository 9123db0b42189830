package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run_code tool texts of the SDK's unit tests, answered by the service to an eval of the agb-python
 * engine: the value or exception, and the writers. Each test says where it reads more than the SDK.
 */
class ToolTextFixturesTest {
    private FakeAgbService fake;
    private EngineRun run;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        run = new EngineRun(fake, fake.config().build());
    }

    @AfterEach
    void stop() throws Exception {
        run.close();
        fake.close();
    }

    /** The eval of user code answered with the fixture's tool text. */
    private EngineRun.Outcome eval(String fixture) {
        fake.onRun = args -> Fixtures.toolText(fixture);
        return run.eval("code()");
    }

    private ExecutionResult result(String fixture) throws Exception {
        fake.onRun = args -> Fixtures.toolText(fixture);
        return run.result("code()");
    }

    private static ExecutionError codeError(EngineRun.Outcome o) {
        AgbScriptException e = assertInstanceOf(AgbScriptException.class, o.error());
        return e.error();
    }

    @Test
    @Fixtures.Of("tt-new-main.json")
    void newFormatMainResult() throws Exception {
        EngineRun.Outcome o = eval("tt-new-main.json");
        assertEquals("Hello, World!", o.value());
        assertEquals("Hello, World!", o.out());
        ExecutionResult r = result("tt-new-main.json");
        assertEquals(1, r.results().size());
        assertTrue(r.results().get(0).isMainResult());
        assertEquals(1, r.executionCount().getAsInt());
        assertEquals(Duration.ofMillis(500), r.executionTime());
    }

    /** SDK: not main. Ours: no output is flagged, so the last bundle with text is the value (Outputs). */
    @Test
    @Fixtures.Of("tt-new-no-flag.json")
    void newFormatWithoutFlagGivesTheValue() throws Exception {
        EngineRun.Outcome o = eval("tt-new-no-flag.json");
        assertEquals("42", o.value());
        assertEquals("42", o.out());
        assertTrue(result("tt-new-no-flag.json").mainResult().isPresent());
    }

    @Test
    @Fixtures.Of("tt-legacy-content.json")
    void legacyContent() {
        EngineRun.Outcome o = eval("tt-legacy-content.json");
        assertEquals("legacy output", o.value());
        assertEquals("legacy output", o.out());
    }

    @Test
    @Fixtures.Of("tt-fallback-object.json")
    void anyOtherObjectIsItsText() throws Exception {
        EngineRun.Outcome o = eval("tt-fallback-object.json");
        assertTrue(String.valueOf(o.value()).contains("customKey"), String.valueOf(o.value()));
        assertTrue(result("tt-fallback-object.json").success());
    }

    @Test
    @Fixtures.Of("tt-plain-string.json")
    void textThatIsNotJson() {
        EngineRun.Outcome o = eval("tt-plain-string.json");
        assertEquals("simple string result", o.value());
        assertEquals("simple string result", o.out());
    }

    @Test
    @Fixtures.Of("tt-number.json")
    void aNumberText() {
        assertEquals("42", eval("tt-number.json").value());
    }

    /** SDK: name ExecutionError, value DivisionByZeroError. Ours: a bare error name is the name. */
    @Test
    @Fixtures.Of("tt-execution-error.json")
    void executionErrorFailsKeepingStderr() {
        EngineRun.Outcome o = eval("tt-execution-error.json");
        ExecutionError error = codeError(o);
        assertEquals(ExecutionError.Kind.CODE, error.kind());
        assertEquals("DivisionByZeroError", error.message());
        assertEquals("Error: Division by zero", o.err());
    }

    @Test
    @Fixtures.Of("tt-rich.json")
    void richFormat() throws Exception {
        EngineRun.Outcome o = eval("tt-rich.json");
        assertEquals("text result", o.value());
        assertEquals("output line 1output line 2", o.out(), "each stdout item reaches the writer as sent");
        ExecutionResult r = result("tt-rich.json");
        assertEquals(List.of("output line 1", "output line 2"), r.logs().stdout());
        MimeBundle main = r.mainResult().get();
        assertEquals("<p>html result</p>", main.html());
        assertEquals("**markdown**", main.markdown());
    }

    /** SDK: "Error in response: error output", logs dropped. Ours: the same text as the error, stderr kept. */
    @Test
    @Fixtures.Of("tt-rich-iserror.json")
    void richIsErrorCarriesTheServiceText() {
        EngineRun.Outcome o = eval("tt-rich-iserror.json");
        ExecutionError error = codeError(o);
        assertEquals("RuntimeError", error.name());
        assertEquals("error output", error.value());
        assertEquals("error message", o.err());
        assertFalse(o.error().getMessage().contains("reported an error"), o.error().getMessage());
    }

    @Test
    @Fixtures.Of("tt-string-items.json")
    void plainStringItemsAreNeverTheValue() throws Exception {
        assertNull(eval("tt-string-items.json").value());
        ExecutionResult r = result("tt-string-items.json");
        assertEquals(List.of("string result 1", "string result 2"), r.results().stream().map(MimeBundle::text).toList());
        assertTrue(r.results().stream().noneMatch(MimeBundle::isMainResult));
    }

    @Test
    @Fixtures.Of("tt-json-string-item.json")
    void jsonStringItem() {
        assertEquals("parsed result", eval("tt-json-string-item.json").value());
    }

    @Test
    @Fixtures.Of("tt-double-encoded-item.json")
    void doubleEncodedItem() {
        assertEquals("double encoded", eval("tt-double-encoded-item.json").value());
    }

    @Test
    @Fixtures.Of("tt-invalid-json-item.json")
    void anItemThatIsNotJsonIsText() throws Exception {
        assertNull(eval("tt-invalid-json-item.json").value(), "plain text, not a bundle: never the value");
        assertEquals("not a json string", result("tt-invalid-json-item.json").results().get(0).text());
    }

    @Test
    @Fixtures.Of("tt-rich-all-fields.json")
    void richFormatEveryShortKey() throws Exception {
        assertEquals("text", eval("tt-rich-all-fields.json").value());
        MimeBundle b = result("tt-rich-all-fields.json").mainResult().get();
        assertEquals("<html>", b.html());
        assertEquals("**md**", b.markdown());
        assertEquals("base64png", b.png());
        assertEquals("base64jpeg", b.jpeg());
        assertEquals("<svg>", b.svg());
        assertEquals("{\"key\": \"value\"}", b.json(), "kept as the given string");
        assertEquals("x^2", b.latex());
        assertEquals("{\"mark\": \"bar\"}", b.chart(), "kept as the given string");
    }

    @Test
    @Fixtures.Of("tt-legacy-empty-content.json")
    void legacyWithoutContentFails() {
        EngineRun.Outcome o = eval("tt-legacy-empty-content.json");
        assertInstanceOf(AgbProtocolException.class, o.error().getCause());
        assertTrue(o.error().getMessage().contains("No content found in response"), o.error().getMessage());
    }

    @Test
    @Fixtures.Of("tt-legacy-no-text.json")
    void legacyWithoutTextFails() {
        EngineRun.Outcome o = eval("tt-legacy-no-text.json");
        assertInstanceOf(AgbProtocolException.class, o.error().getCause());
        assertTrue(o.error().getMessage().contains("No content found in response"), o.error().getMessage());
    }

    @Test
    @Fixtures.Of("tt-new-all-mime.json")
    void newFormatEveryMimeType() throws Exception {
        EngineRun.Outcome o = eval("tt-new-all-mime.json");
        assertEquals("plain text", o.value());
        assertEquals("output", o.out());
        MimeBundle b = result("tt-new-all-mime.json").mainResult().get();
        assertEquals("<html>", b.html());
        assertEquals("**md**", b.markdown());
        assertEquals("pngdata", b.png());
        assertEquals("jpegdata", b.jpeg());
        assertEquals("<svg>", b.svg());
        assertEquals("{\"key\": \"value\"}", b.json());
        assertEquals("x^2", b.latex());
        assertEquals("{\"mark\": \"bar\"}", b.chart(), "from vegalite.v4");
    }

    @Test
    @Fixtures.Of("tt-invalid-json-text.json")
    void brokenJsonIsText() {
        assertEquals("{not valid json", eval("tt-invalid-json-text.json").value());
    }

    @Test
    @Fixtures.Of("tt-ts-short-text-key.json")
    void shortTextKey() {
        assertEquals("Hello from JS", eval("tt-ts-short-text-key.json").value());
    }

    /** SDK's result convenience: the first text. Ours: the last, as the cell's value (Outputs). */
    @Test
    @Fixtures.Of("tt-ts-two-results.json")
    void twoUnflaggedResultsTheLastIsTheValue() throws Exception {
        EngineRun.Outcome o = eval("tt-ts-two-results.json");
        assertEquals("output 2", o.value());
        assertEquals("stdout line", o.out());
        ExecutionResult r = result("tt-ts-two-results.json");
        assertEquals(2, r.results().size());
        assertEquals(2, r.executionCount().getAsInt());
        assertEquals(Duration.ofMillis(500), r.executionTime());
    }

    @Test
    @Fixtures.Of("tt-ts-execerror-syntax.json")
    void executionErrorText() {
        EngineRun.Outcome o = eval("tt-ts-execerror-syntax.json");
        assertEquals("SyntaxError: invalid syntax", codeError(o).message());
        assertEquals("error line", o.err());
    }

    @Test
    @Fixtures.Of("tt-ts-rich-iserror.json")
    void richIsErrorWithoutErrorObject() {
        EngineRun.Outcome o = eval("tt-ts-rich-iserror.json");
        ExecutionError error = codeError(o);
        assertEquals("Runtime error", error.value());
        assertTrue(o.error().getMessage().contains("Runtime error"), o.error().getMessage());
        assertEquals("error", o.err());
    }

    @Test
    @Fixtures.Of("tt-wrapped-in-content.json")
    void payloadWrappedInContent() {
        EngineRun.Outcome o = eval("tt-wrapped-in-content.json");
        assertEquals("inner", o.value());
        assertEquals("x\n", o.out());
    }

    @Test
    @Fixtures.Of("tt-iserror-content.json")
    void isErrorWithoutARunIsTheToolFailing() {
        EngineRun.Outcome o = eval("tt-iserror-content.json");
        assertInstanceOf(AgbToolException.class, o.error().getCause());
        assertTrue(o.error().getMessage().contains("Error in response: bad args"), o.error().getMessage());
    }
}
