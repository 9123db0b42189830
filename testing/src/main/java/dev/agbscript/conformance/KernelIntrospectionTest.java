package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.SessionManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** What a REPL asks the kernel through the engine: completeness, completions, restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelIntrospectionTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private AgbScriptEngine python;

    @BeforeAll
    void start() {
        manager = kernels.manager();
        python = new PythonEngineFactory().getScriptEngine(manager);
    }


    @Test
    void tellsCompleteFromIncompleteCode() {
        assertEquals(Completeness.Status.COMPLETE, python.isComplete("x = 1").status());
        Completeness open = python.isComplete("def f(x):");
        assertEquals(Completeness.Status.INCOMPLETE, open.status());
        assertEquals("    ", open.indent());
        assertEquals(Completeness.Status.INVALID, python.isComplete("1 +* )").status());
    }

    @Test
    void completesFromTheKernel() {
        Completions completions = python.complete("pri", 3);
        assertTrue(completions.matches().contains("print"), completions.toString());
        assertEquals(0, completions.cursorStart());
        assertEquals(3, completions.cursorEnd());
    }

    /** The REPL's {@code len?} and second Tab: what the kernel says of the name at the cursor. */
    @Test
    void inspectsTheNameAtTheCursor() throws Exception {
        python.eval("def area(width, height):\n    return width * height");
        // IPython colours its help with ANSI escapes
        String help = python.inspect("area(", 4, false).orElseThrow().text().replaceAll("\u001B\\[[;\\d]*m", "");
        assertTrue(help.contains("area(width, height)"), help);
        assertTrue(python.inspect("no_such_name_here", 5, false).isEmpty());
    }

    @Test
    void restartThrowsTheStateAway() throws Exception {
        python.eval("remembered = 1");
        python.restart();
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> python.eval("remembered"));
        assertEquals("NameError", e.error().name());
    }
}
