package dev.agbscript.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SessionManager;
import dev.agbscript.testing.Kernels;
import java.io.StringWriter;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Bindings object other than the engine's own is a scope of its own, as in Nashorn and GraalJS: what a script
 * assigns lands in that object and is not seen by calls with other bindings, which is what process and rule engines
 * (Camunda, JMeter) rely on. Python, JavaScript and R in a namespace of the kernel that sees the session's shared
 * functions and imports; Java in a private session per Bindings object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PerCallBindingsTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    /** One engine per language for the tests that leave its own scope as it is (kernels take seconds to start). */
    private final Map<Language, AgbScriptEngine> engines = new EnumMap<>(Language.class);

    private synchronized AgbScriptEngine engine(Language language) {
        return engines.computeIfAbsent(language, kernels::engine);
    }

    @AfterAll
    void closeEngines() {
        engines.values().forEach(AgbScriptEngine::close);
    }

    private static String assign(Language language, String name, String expression) {
        return language == Language.R ? name + " <- " + expression : name + " = " + expression;
    }

    /** True when the name is visible to the code, wherever it would be looked up (the shared scope included). */
    private static String visible(Language language, String name) {
        return switch (language) {
            case PYTHON -> "_seen = True\ntry:\n    " + name + "\nexcept NameError:\n    _seen = False\n_seen";
            case JAVASCRIPT -> "typeof " + name + " !== \"undefined\"";
            case R -> "exists(\"" + name + "\")";
            default -> throw new IllegalArgumentException(language.toString());
        };
    }

    /** A function and an import of the session's shared scope; {@link #useShared} gives 7 with them. */
    private static String defineShared(Language language) {
        return switch (language) {
            case PYTHON -> "import math\ndef area(w, h):\n    return w * h";
            case JAVASCRIPT -> "var path = require(\"path\");\nfunction area(w, h) { return w * h; }";
            case R -> "library(tools)\narea <- function(w, h) w * h";
            default -> throw new IllegalArgumentException(language.toString());
        };
    }

    private static String useShared(Language language) {
        return switch (language) {
            case PYTHON -> "area(2, 3) + math.floor(1.5)";
            case JAVASCRIPT -> "area(2, 3) + path.sep.length";
            case R -> "area(2, 3) + nchar(file_ext(\"a.b\"))";
            default -> throw new IllegalArgumentException(language.toString());
        };
    }

    /** A function that adds to the global {@code counter} of its scope and returns it. */
    private static String defineBump(Language language) {
        return switch (language) {
            case PYTHON -> "def bump(by):\n    global counter\n    counter = counter + by\n    return counter";
            case JAVASCRIPT -> "function bump(by) { counter = counter + by; return counter; }";
            case R -> "bump <- function(by) {\n  counter <<- counter + by\n  counter\n}";
            default -> throw new IllegalArgumentException(language.toString());
        };
    }

    private static Bindings bindings(Map<String, Object> values) {
        return new SimpleBindings(new HashMap<>(values));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void eachBindingsObjectIsAScopeOfItsOwnThatTheOthersDoNotSee(Language language) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        Bindings first = bindings(Map.of("amount", 5));
        assertEquals(10L, number(engine.eval(assign(language, "helper", "amount * 2") + "\nhelper", first)));
        Bindings second = bindings(Map.of());
        assertEquals(false, engine.eval(visible(language, "amount"), second), "an earlier call's value leaked");
        assertEquals(false, engine.eval(visible(language, "helper"), second), "an earlier call's helper leaked");
        assertEquals(false, engine.eval(visible(language, "helper")), "the engine's own scope got the helper");
        assertEquals(true, engine.eval(visible(language, "helper"), first), "the namespace lost its helper");
        assertEquals(10L, number(first.get("helper")), "what the code assigned is written back");
        assertFalse(second.containsKey("helper"));
        assertNull(engine.get("helper"));
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void valuesAreWrittenBackInTheirJsonFormAndUnchangedOnesStayTheHosts(Language language) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        Integer count = 1000;
        Bindings bindings = bindings(Map.of("count", count, "label", "kept"));
        String code = switch (language) {
            case PYTHON -> "result = {'a': [1, 2], 'b': 'x', 'n': None}\nratio = 0.5\nlabel = label";
            case JAVASCRIPT -> "result = {a: [1, 2], b: 'x', n: null};\nratio = 0.5;\nlabel = label;";
            default -> "result <- list(a = c(1, 2), b = 'x', n = NULL)\nratio <- 0.5\nlabel <- label";
        };
        engine.eval(code, bindings);
        Map<String, Object> expected = new HashMap<>();
        expected.put("a", List.of(1L, 2L));
        expected.put("b", "x");
        expected.put("n", null);
        assertEquals(expected, bindings.get("result"));
        assertEquals(0.5, bindings.get("ratio"));
        assertSame(count, bindings.get("count"), "a value the code left alone is not written back");
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void aNamespaceSeesTheSessionsFunctionsAndImports(Language language) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        engine.eval(defineShared(language));
        assertEquals(7L, number(engine.eval(useShared(language), bindings(Map.of()))));
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void errorsInANamespaceNameTheUsersLine(Language language) {
        AgbScriptEngine engine = engine(language);
        String code = switch (language) {
            case PYTHON -> "x = 1\nraise ValueError('no')";
            case JAVASCRIPT -> "x = 1;\nthrow new Error('no');";
            default -> "x <- 1\nstop('no')";
        };
        Bindings bindings = bindings(Map.of());
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(code, bindings));
        assertEquals(2, e.getLineNumber(), e.remoteTraceback());
        assertEquals(1L, number(bindings.get("x")), "an error still writes back what was assigned");
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void outputsAndDisplaysOfANamespaceReachTheHostAndNothingElseDoes(Language language) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        String code = switch (language) {
            case PYTHON -> "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))\nprint('out')\nn = 1\nn";
            case JAVASCRIPT -> "display.html('<b>x</b>');\nconsole.log('out');\nn = 1;\nn";
            default -> "IRdisplay::display_html('<b>x</b>')\ncat('out\\n')\nn <- 1\nn";
        };
        ScriptContext context = new SimpleScriptContext();
        StringWriter out = new StringWriter();
        context.setWriter(out);
        List<MimeBundle> heard = Collections.synchronizedList(new ArrayList<>());
        context.setAttribute(AgbScriptEngine.LISTENER, new ExecutionListener() {
            @Override
            public void onResult(MimeBundle result) {
                heard.add(result);
            }
        }, ScriptContext.ENGINE_SCOPE);
        ExecutionResult result = engine.execute(code, context);
        assertEquals("out\n", out.toString());
        assertEquals(2, result.results().size(), result.toString());
        assertEquals("<b>x</b>", result.results().get(0).html().strip());
        assertEquals("1", result.results().get(1).valueJson());
        assertEquals(result.results(), heard, "the listener heard what the result holds, and nothing more");
        assertTrue(result.results().stream().noneMatch(b -> b.data().containsKey(MimeBundle.AGB_NAMESPACE)));
        assertEquals(1L, number(context.getBindings(ScriptContext.ENGINE_SCOPE).get("n")));
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void theNamespaceOfACollectedBindingsObjectIsGoneAfterTheNextEval(Language language) throws Exception {
        AgbScriptEngine engine = engine(language);
        String listing = Kernels.factory(language).dialect().prelude().namespaces().orElseThrow();
        List<?> before = (List<?>) engine.eval(listing);
        WeakReference<Bindings> collectable = evalWithBindingsNobodyKeeps(engine, language);
        List<Object> made = new ArrayList<>((List<?>) engine.eval(listing));
        made.removeAll(before);
        assertEquals(1, made.size(), made.toString());
        collect(collectable);
        Bindings next = bindings(Map.of());
        engine.eval(assign(language, "x", "2"), next);
        List<?> after = (List<?>) engine.eval(listing);
        assertFalse(after.contains(made.get(0)), "the kernel still holds the namespace of a collected Bindings");
        List<Object> fresh = new ArrayList<>(after);
        fresh.removeAll(before);
        assertEquals(1, fresh.size(), "the next eval's namespace alone is new: " + after);
    }

    private static WeakReference<Bindings> evalWithBindingsNobodyKeeps(AgbScriptEngine engine, Language language)
            throws ScriptException {
        Bindings bindings = bindings(Map.of("big", List.of(1, 2, 3)));
        engine.eval(assign(language, "x", "1"), bindings);
        return new WeakReference<>(bindings);
    }

    private static void collect(WeakReference<?> reference) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reference.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertNull(reference.get(), "the garbage collector kept the bindings");
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void invokeFunctionCallsIntoTheNamespaceOfTheEnginesScope(Language language) throws Exception {
        try (AgbScriptEngine engine = kernels.engine(language)) {
            Bindings first = bindings(Map.of("counter", 1));
            engine.setBindings(first, ScriptContext.ENGINE_SCOPE);
            engine.eval(defineBump(language));
            assertEquals(3L, number(engine.invokeFunction("bump", 2)));
            assertEquals(3L, number(first.get("counter")), "what the function assigned is written back");
            assertEquals(3L, number(engine.get("counter")), "the engine's scope is the Bindings object");
            engine.setBindings(bindings(Map.of("counter", 10)), ScriptContext.ENGINE_SCOPE);
            assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("bump", 1),
                    "a function of one namespace was found in another");
            engine.setBindings(first, ScriptContext.ENGINE_SCOPE);
            assertEquals(4L, number(engine.invokeFunction("bump", 1)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Language.class, names = {"PYTHON", "JAVASCRIPT", "R"})
    void aCompiledScriptEvaluatedWithBindingsKeepsEachCallsAssignmentsApart(Language language) throws ScriptException {
        AgbScriptEngine engine = engine(language);
        CompiledScript script = engine.compile(assign(language, "total", "price * qty"));
        Bindings first = bindings(Map.of("price", 2, "qty", 3));
        Bindings second = bindings(Map.of("price", 5, "qty", 1));
        script.eval(first);
        script.eval(second);
        assertEquals(6L, number(first.get("total")));
        assertEquals(5L, number(second.get("total")));
        assertNull(engine.get("total"), "the session's shared scope got the script's variable");
    }

    @Test
    void javaGivesEachBindingsObjectAPrivateSessionClosedWhenTheObjectIsCollected() throws Exception {
        SessionManager manager = kernels.newManager();
        try (AgbScriptEngine engine = Kernels.factory(Language.JAVA).getScriptEngine(manager)) {
            engine.eval("int area(int w, int h) { return w * h; }");
            Integer amount = 5;
            Bindings first = bindings(Map.of("amount", amount));
            assertEquals(10L, engine.eval("long twice(long x) { return 2 * x; }\nlong helper = twice(amount);\nhelper",
                    first));
            assertEquals(10L, first.get("helper"), "what the code declared is written back");
            assertSame(amount, first.get("amount"), "a value the code left alone is not written back");
            WeakReference<Bindings> collectable = evalJavaWithBindingsNobodyKeeps(engine);
            assertEquals(3, manager.sessions().size(), "the engine's session and one per Bindings object");
            AgbScriptException leaked = assertThrows(AgbScriptException.class, () -> engine.eval("helper"));
            assertTrue(leaked.getMessage().contains("cannot find symbol"), leaked.getMessage());
            collect(collectable);
            assertEquals(20L, engine.eval("twice(helper)", first), "the session keeps what its code declared");
            assertEquals(2, manager.sessions().size(), "the collected Bindings object's session is still open");
            Bindings other = bindings(Map.of());
            assertThrows(AgbScriptException.class, () -> engine.eval("area(2, 3)", other),
                    "a private session shares nothing with the engine's own");
        }
        assertEquals(List.of(), manager.sessions(), "closing the engine closes its private sessions");
    }

    private static WeakReference<Bindings> evalJavaWithBindingsNobodyKeeps(AgbScriptEngine engine)
            throws ScriptException {
        Bindings bindings = bindings(Map.of("amount", 7));
        assertEquals(false, engine.eval("long helper = 0;\nhelper == 10", bindings), "another call's helper leaked");
        return new WeakReference<>(bindings);
    }
}
