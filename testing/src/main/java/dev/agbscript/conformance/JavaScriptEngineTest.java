package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.JavaScriptEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** What is particular to agb-javascript: Node.js semantics in tslab's kernel, and the prelude's functions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaScriptEngineTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private AgbScriptEngine engine;

    @BeforeAll
    void startEngine() {
        manager = kernels.manager();
        engine = new JavaScriptEngineFactory().getScriptEngine(manager);
    }


    @Test
    void isPlainJavaScriptNotTypeScript() throws ScriptException {
        assertEquals("a", engine.eval("let retyped = 3; retyped = 'a'; retyped"));
        assertEquals(4L, engine.eval("let retyped = 4; retyped"), "let may be declared again, as in a REPL");
        assertEquals(9L, engine.eval("await new Promise(resolve => setTimeout(resolve, 10)); 9"), "top-level await");
        assertEquals("function", engine.eval("typeof require('path').join"));
    }

    @Test
    void theLanguageVersionIsTheNodeVersion() throws ScriptException {
        String node = (String) engine.eval("process.versions.node");
        assertTrue(engine.languageVersion().orElseThrow().startsWith("javascript " + node + " (jslab"),
                engine.languageVersion().orElseThrow());
    }

    @Test
    void aCompileErrorHasLineAndColumn() {
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("let ok = 1\nlet bad = ]"));
        assertEquals("SyntaxError", e.error().name());
        assertTrue(e.error().syntax());
        assertEquals(2, e.getLineNumber());
        assertEquals(11, e.getColumnNumber());
    }

    @Test
    void aRuntimeSyntaxErrorIsNoCompileError() {
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("JSON.parse('{')"));
        assertEquals("SyntaxError", e.error().name());
        assertEquals(false, e.error().syntax());
        assertEquals(1, e.getLineNumber());
    }

    @Test
    void anErrorInAFunctionOfAnEarlierCellPointsAtTheLineOfThisCell() throws ScriptException {
        engine.eval("function explode() {\n  throw new RangeError('too far')\n}");
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("1\nexplode()"));
        assertEquals("RangeError", e.error().name());
        assertEquals("too far", e.error().value());
        assertEquals(2, e.getLineNumber(), e.remoteTraceback());
    }

    @Test
    void aTimeoutInterruptsAnAwaitWithStateKept() throws ScriptException {
        AgbScriptEngine own = new JavaScriptEngineFactory().getScriptEngine(manager);
        try {
            own.eval("var kept = 'yes'");
            ScriptContext context = new SimpleScriptContext();
            context.setWriter(new StringWriter());
            context.setAttribute(AgbScriptEngine.TIMEOUT, 1, ScriptContext.ENGINE_SCOPE);
            AgbScriptException e = assertThrows(AgbScriptException.class,
                    () -> own.eval("await new Promise(resolve => setTimeout(resolve, 60000))", context));
            assertTrue(e.getMessage().contains("keeps its state"), e.getMessage());
            assertEquals("yes", own.eval("kept"));
        } finally {
            own.close();
        }
    }

    /** tslab sent without waiting for zeromq, which drops a send while another is in progress; now queued. */
    @Test
    void manyQuickEvalsWithOutputLoseNoMessage() throws ScriptException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(out);
        context.setErrorWriter(err);
        context.setAttribute(AgbScriptEngine.TIMEOUT, 10, ScriptContext.ENGINE_SCOPE);
        StringBuilder expected = new StringBuilder();
        for (long i = 0; i < 500; i++) {
            assertEquals(i, engine.eval("console.log('line " + i + "'); console.error('e'); " + i, context));
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), out.toString());
        assertEquals("e\n".repeat(500), err.toString());
    }

    @Test
    void thePreludeFunctionsWorkAndStayHidden() throws ScriptException {
        AgbScriptEngine own = new JavaScriptEngineFactory().getScriptEngine(manager);
        try {
            own.eval("var shown = 1\nconst also = [2]\nfunction helper(a, b) { return a * b }");
            assertEquals(List.of("also", "shown"), own.eval("_agb_names()"));
            assertEquals(Map.of("found", true, "type", "Array", "value", List.of(2L)), own.eval("_agb_get('also')"));
            assertEquals(Map.of("found", false), own.eval("_agb_get('missing')"));
            assertEquals(Map.of("found", true, "type", "Date", "text", "1970-01-01T00:00:00.000Z"),
                    own.eval("var when = new Date(0); _agb_get('when')"));
            assertEquals(42L, own.eval("_agb_call('helper', '[6, 7]')"));
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> own.eval("_agb_call('nope', '[]')"));
            assertTrue(e.getMessage().contains("agb-no-such-function: nope"), e.getMessage());
        } finally {
            own.close();
        }
    }
}
