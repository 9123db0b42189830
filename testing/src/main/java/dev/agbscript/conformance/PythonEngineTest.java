package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What is particular to agb-python on a real ipykernel. What every language does alike (discovery, state,
 * streaming, timeouts, dead kernels, isolation) is in {@link EngineConformanceTest}, which runs Python too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonEngineTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private AgbScriptEngine engine;
    private final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    void startEngine() {
        manager = kernels.manager();
        engine = new PythonEngineFactory().getScriptEngine(manager);
    }

    @AfterAll
    void closeManager() {
        background.shutdownNow();
    }

    @Test
    void returnsTypedValuesOfTheLastExpression() throws ScriptException {
        assertEquals(2L, engine.eval("1+1"));
        assertEquals(2.5, engine.eval("5/2"));
        assertEquals("héllo \"q\"", engine.eval("'héllo \"q\"'"));
        assertEquals(Boolean.TRUE, engine.eval("1 < 2"));
        assertNull(engine.eval("None"));
        assertNull(engine.eval("x_unused = 1"), "a statement has no value");
        assertEquals(BigInteger.TWO.pow(70), engine.eval("2**70"));
        assertEquals(9007199254740993L, engine.eval("2**53 + 1"));
        assertEquals(Arrays.asList(1L, "two", null, 3.5), engine.eval("[1, 'two', None, 3.5]"));
        assertEquals(List.of(1L, 2L), engine.eval("(1, 2)"));
        assertEquals(Map.of("a", List.of(1L, Map.of("b", true))), engine.eval("{'a': [1, {'b': True}]}"));
        assertTrue(Double.isNaN((Double) engine.eval("float('nan')")));
        assertEquals(Double.NEGATIVE_INFINITY, engine.eval("float('-inf')"));
        assertEquals("{1, 2, 3}", engine.eval("{1, 2, 3}"), "no JSON form: the text form");
        assertEquals("<object>", engine.eval("class O:\n    def __repr__(self): return '<object>'\nO()"));
    }

    @Test
    void evalsFromAReader() throws ScriptException {
        assertEquals(6L, engine.eval(new StringReader("a = 2\nb = 3\na * b")));
    }

    @Test
    void aPythonExceptionBecomesAScriptExceptionWithNameMessageAndLine() {
        ScriptContext context = contextWith(new StringWriter(), new StringWriter());
        context.setAttribute(ScriptEngine.FILENAME, "rules.py", ScriptContext.ENGINE_SCOPE);
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("a = 1\nb = 0\nc = a / b\n", context));
        assertTrue(e.getMessage().startsWith("ZeroDivisionError: division by zero"), e.getMessage());
        assertEquals(3, e.getLineNumber());
        assertEquals("rules.py", e.getFileName());
        assertEquals("ZeroDivisionError", e.error().name());
        assertFalse(e.error().syntax());
        assertTrue(e.remoteTraceback().contains("----> 3"), e.remoteTraceback());
        assertFalse(e.remoteTraceback().contains("\u001b["), "traceback keeps terminal colors");
        assertFalse(e.result().success());
    }

    @Test
    void aSyntaxErrorIsMarkedAsSuchWithLineAndColumn() {
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("x = 1\ny = (2 +\n"));
        assertTrue(e.error().syntax(), e.error().toString());
        assertEquals("SyntaxError", e.error().name());
        assertTrue(e.getLineNumber() >= 2, "line " + e.getLineNumber());
    }

    @Test
    void bindingsAreVisibleAsVariables() throws ScriptException {
        Bindings bindings = engine.createBindings();
        bindings.put("name", "Ada");
        bindings.put("limit", 3);
        bindings.put("scores", List.of(1, 2.5));
        bindings.put("config", Map.of("debug", true));
        bindings.put("not-an-identifier", 1);
        bindings.put("thread", Thread.currentThread());
        assertEquals("Ada:3:3.5:True", engine.eval(
                "f'{name}:{limit}:{sum(scores)}:{config[\"debug\"]}'", bindings));
        assertEquals("thread" , engine.eval("'thread' if 'thread' not in globals() else 'leaked'", bindings));
    }

    @Test
    void globalScopeBindingsAreVisibleAndEngineScopeWins() throws ScriptException {
        ScriptContext context = contextWith(new StringWriter(), new StringWriter());
        Bindings global = engine.createBindings();
        global.put("who", "global");
        global.put("only_global", 7);
        context.setBindings(global, ScriptContext.GLOBAL_SCOPE);
        context.getBindings(ScriptContext.ENGINE_SCOPE).put("who", "engine");
        assertEquals(List.of("engine", 7L), engine.eval("[who, only_global]", context));
    }

    @Test
    void interruptingTheEvaluatingThreadCancelsTheRun() throws Exception {
        AgbScriptEngine own = new PythonEngineFactory().getScriptEngine(manager);
        try {
            own.eval("ready = True");
            CountDownLatch running = new CountDownLatch(1);
            ScriptContext context = contextWith(new Writer() {
                @Override
                public void write(char[] b, int o, int l) {
                    running.countDown();
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            }, new StringWriter());
            Future<Object> run = background.submit(() -> own.eval(
                    "import sys\nprint('spinning'); sys.stdout.flush()\nwhile True:\n    pass", context));
            assertTrue(running.await(30, TimeUnit.SECONDS));
            run.cancel(true);
            assertEquals(true, own.eval("ready"), "the kernel is usable again, with its state");
        } finally {
            own.close();
        }
    }

    @Test
    void badInputGetsClearErrors() {
        assertThrows(NullPointerException.class, () -> engine.eval((String) null));
        ScriptException huge = assertThrows(ScriptException.class,
                () -> engine.eval("#" + "x".repeat(16 * 1024 * 1024)));
        assertTrue(huge.getMessage().contains("the limit is"), huge.getMessage());
        ScriptContext context = contextWith(new StringWriter(), new StringWriter());
        context.setAttribute(AgbScriptEngine.TIMEOUT, "soon", ScriptContext.ENGINE_SCOPE);
        ScriptException badTimeout = assertThrows(ScriptException.class, () -> engine.eval("1", context));
        assertTrue(badTimeout.getMessage().contains("agb.timeout"), badTimeout.getMessage());
    }

    @Test
    void aClosedEngineRefusesWork() throws ScriptException {
        AgbScriptEngine own = new PythonEngineFactory().getScriptEngine(manager);
        own.eval("1");
        own.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> own.eval("1"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static ScriptContext contextWith(Writer out, Writer err) {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(out);
        context.setErrorWriter(err);
        return context;
    }
}
