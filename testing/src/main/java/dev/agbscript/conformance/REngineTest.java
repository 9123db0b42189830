package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.REngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
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

/** What is particular to agb-r: IRkernel's values, errors and the prelude's functions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class REngineTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private AgbScriptEngine engine;

    @BeforeAll
    void startEngine() {
        manager = kernels.manager();
        engine = new REngineFactory().getScriptEngine(manager);
    }


    @Test
    void onlyTheLastVisibleValueIsTheMainResult() throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(new StringWriter());
        ExecutionResult result = engine.execute("1\nx <- 2\n'last'", context);
        List<MimeBundle> results = result.results();
        assertEquals(2, results.size(), results.toString());
        assertEquals("[1] 1", results.get(0).text());
        assertTrue(!results.get(0).isMainResult() && results.get(1).isMainResult(), results.toString());
        assertEquals("last", engine.eval("'last'"));
        assertEquals(null, engine.eval("invisible(5)"), "an invisible value is no result");
    }

    @Test
    void aParseErrorIsASyntaxErrorWithLineAndColumn() {
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("x <- 1\ny <- )"));
        assertEquals("SyntaxError", e.error().name());
        assertTrue(e.error().syntax());
        assertEquals(2, e.getLineNumber());
        assertEquals(6, e.getColumnNumber());
    }

    @Test
    void aRuntimeErrorNamesTheLineOfTheFailingExpression() throws ScriptException {
        engine.eval("explode <- function() stop('too far')");
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("# a comment\nok <- 1\n\nexplode()"));
        assertEquals("Error", e.error().name());
        assertEquals("too far", e.error().value());
        assertEquals(4, e.getLineNumber(), e.remoteTraceback());
    }

    @Test
    void thePreludeFunctionsWorkAndStayHidden() throws ScriptException {
        AgbScriptEngine own = new REngineFactory().getScriptEngine(manager);
        try {
            own.eval("shown <- 1\nalso <- c(2, 3)\nhelper <- function(a, b) a * b");
            assertEquals(List.of("also", "shown"), own.eval(".agb_names()"));
            assertEquals(Map.of("found", true, "type", "numeric", "value", List.of(2L, 3L)), own.eval(".agb_get('also')"));
            assertEquals(Map.of("found", false), own.eval(".agb_get('missing')"));
            assertEquals(42L, own.eval(".agb_call('helper', '[6, 7]')"));
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> own.eval(".agb_call('nope', '[]')"));
            assertTrue(e.getMessage().contains("agb-no-such-function: nope"), e.getMessage());
            assertEquals(List.of("also", "helper", "shown"), own.eval("as.list(ls())"));
        } finally {
            own.close();
        }
    }
}
