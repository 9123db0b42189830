package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The language-specific parts of javax.script, in every language: helper statements, variables, Invocable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScriptingConformanceTest {
    /** What each language needs to be put through the same checks. */
    record Language(String engine, String functions, String object, String variable) {
        @Override
        public String toString() {
            return engine;
        }
    }

    static Stream<Language> languages() {
        return Stream.of(
                new Language("agb-python",
                        "def add(a, b):\n    return a + b\n\ndef greet(name):\n    return 'hello ' + name",
                        "class Box:\n    def twice(self, a, b):\n        return (a + b) * 2\n\nbox = Box()",
                        "result = [1, 2]"),
                new Language("agb-java",
                        "long add(long a, long b) { return a + b; }\nString greet(String name) { return \"hello \" + name; }",
                        "class Box { long twice(long a, long b) { return (a + b) * 2; } }\nBox box = new Box();",
                        "var result = java.util.List.of(1, 2);"),
                new Language("agb-javascript",
                        "function add(a, b) { return a + b; }\nfunction greet(name) { return 'hello ' + name; }",
                        "var box = { twice(a, b) { return (a + b) * 2; } };",
                        "var result = [1, 2];"),
                new Language("agb-r",
                        "add <- function(a, b) a + b\ngreet <- function(name) paste0('hello ', name)",
                        // R's method call is the S3 generic's: twice(box, 2, 3).
                        "twice <- function(x, ...) UseMethod('twice')\n"
                                + "twice.box <- function(x, a, b) (a + b) * 2\nbox <- structure(list(), class = 'box')",
                        "result <- list(1L, 2L)"));
    }

    public interface Calculator {
        long add(long a, long b);

        String greet(String name);
    }

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;

    @BeforeAll
    void start() {
        manager = kernels.manager();
    }


    private AgbScriptEngine engine(Language language) {
        ScriptEngineFactory factory = new ScriptEngineManager().getEngineByName(language.engine()).getFactory();
        return assertInstanceOf(AgbScriptEngineFactory.class, factory).getScriptEngine(manager);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void helperStatementsFromTheFactoryRunAsWritten(Language language) throws Exception {
        try (AgbScriptEngine engine = engine(language)) {
            ScriptEngineFactory factory = engine.getFactory();
            String tricky = "quote \" apostrophe ' backslash \\ newline\n tab\t é😀 \\u0041 $x ${y} %s";
            StringWriter out = new StringWriter();
            ScriptContext context = new SimpleScriptContext();
            context.setWriter(out);
            context.setErrorWriter(new StringWriter());
            engine.eval(factory.getProgram(factory.getOutputStatement(tricky), factory.getOutputStatement("second")),
                    context);
            assertEquals(tricky + "\nsecond\n", out.toString());
            engine.eval(language.object());
            assertEquals(10L, ((Number) engine.eval(factory.getMethodCallSyntax("box", "twice", "2", "3"))).longValue());
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void variablesTheScriptDefinesAreReadable(Language language) throws Exception {
        try (AgbScriptEngine engine = engine(language)) {
            engine.eval(language.variable());
            assertEquals(List.of(1L, 2L), engine.get("result"));
            assertTrue(engine.getBindings(ScriptContext.ENGINE_SCOPE).containsKey("result"));
            assertNull(engine.get("no_such_variable"));
            List<AgbScriptEngine.Variable> variables = engine.variables();
            assertTrue(variables.contains(new AgbScriptEngine.Variable("result", List.of(1L, 2L), null)),
                    variables.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void functionsAreInvocableAndImplementInterfaces(Language language) throws Exception {
        try (AgbScriptEngine engine = engine(language)) {
            engine.eval(language.functions());
            assertEquals(5L, ((Number) engine.invokeFunction("add", 2, 3)).longValue());
            assertEquals("hello Ada", engine.invokeFunction("greet", "Ada"));
            assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("scriptUnloaded"));
            Calculator calculator = engine.getInterface(Calculator.class);
            assertNotNull(calculator);
            assertEquals(7L, calculator.add(3, 4));
            assertEquals("hello Bob", calculator.greet("Bob"));
            assertNull(engine.getInterface(Runnable.class));
            ScriptEngine plain = new ScriptEngineManager().getEngineByName(language.engine());
            assertEquals("MULTITHREADED", plain.getFactory().getParameter("THREADING"));
        }
    }
}
