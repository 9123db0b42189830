package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.JavaEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.ScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Java's own route through the prelude contract: typed declarations, direct reads and calls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JavaScriptingApiTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private AgbScriptEngine java;

    public interface Calculator {
        int add(int a, int b);
    }

    @BeforeAll
    void start() {
        manager = kernels.manager();
        java = new JavaEngineFactory().getScriptEngine(manager);
    }


    @Test
    void readsVariablesTheSnippetsDeclared() throws Exception {
        java.put("base", 40);
        java.eval("long answer = base + 2;\nvar words = java.util.List.of(\"a\", \"b\");\nObject thing = new Object();");
        assertEquals(42L, java.get("answer"));
        assertEquals(List.of("a", "b"), java.get("words"));
        assertTrue(String.valueOf(java.get("thing")).startsWith("java.lang.Object@"));
        assertNull(java.get("missing"));
        Bindings scope = java.getBindings(ScriptContext.ENGINE_SCOPE);
        assertTrue(scope.keySet().containsAll(List.of("answer", "words", "thing", "base")), scope.keySet().toString());
    }

    @Test
    void invokesMethodsAndImplementsInterfaces() throws Exception {
        java.eval("int add(int a, int b) { return a + b; }\nString shout(String s) { return s.toUpperCase(); }");
        assertEquals(5L, java.invokeFunction("add", 2, 3));
        assertEquals("HI", java.invokeFunction("shout", "hi"));
        assertThrows(NoSuchMethodException.class, () -> java.invokeFunction("scriptLoaded"));
        Calculator calculator = java.getInterface(Calculator.class);
        assertNotNull(calculator);
        assertEquals(9, calculator.add(4, 5));
        assertEquals(Map.of("found", true, "value", 5L), Map.of("found", true, "value", java.invokeFunction("add", 1, 4)));
    }
}
