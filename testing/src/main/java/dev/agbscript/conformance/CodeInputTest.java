package dev.agbscript.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import dev.agbscript.testing.Kernels;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The code's requests for a line of input (Python's {@code input()}, R's {@code readline()}, JavaScript's
 * {@code await input()}, Java's {@code System.in}) are answered from the context: its reader, or the
 * {@link InputSource} in {@value AgbScriptEngine#INPUT}. A context with neither makes the request fail at once with
 * an error saying how to give input; the time limit runs while the code waits, and ends the wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodeInputTest {
    /**
     * Code that asks for a name with the prompt {@code Name? } and prints {@code hello NAME}; the prompt the
     * input source is given (Java's System.in has none: the code prints it), and what the end of input gives.
     */
    record Case(Language language, String asksForAName, String prompt, String endOfInputSays) {
        @Override
        public String toString() {
            return language.id();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(Language.PYTHON, "name = input('Name? ')\nprint('hello', name)", "Name? ", "EOFError"),
                new Case(Language.R, "name <- readline('Name? ')\ncat('hello', name, '\\n')", "Name? ", "hello  \n"),
                new Case(Language.JAVASCRIPT, "const name = await input('Name? ')\nconsole.log('hello', name)", "Name? ",
                        "hello null\n"),
                new Case(Language.JAVA, "var in = new BufferedReader(new InputStreamReader(System.in));\n"
                        + "System.out.print(\"Name? \");\nSystem.out.println(\"hello \" + in.readLine());", "",
                        "hello null\n"));
    }

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private final java.util.Map<Language, AgbScriptEngine> engines = new java.util.EnumMap<>(Language.class);

    private AgbScriptEngine engine(Language language) {
        return engines.computeIfAbsent(language, kernels::engine);
    }

    @AfterAll
    void close() {
        engines.values().forEach(AgbScriptEngine::close);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aLineOfTheContextsReaderAnswersAndThePromptGoesToItsWriter(Case c) throws ScriptException {
        ScriptContext context = context(new StringReader("Ada\nnot this one\n"));
        engine(c.language).eval(c.asksForAName, context);
        assertEquals("Name? hello Ada\n", out(context).replace("hello Ada \n", "hello Ada\n"));
    }

    /** An eval with a Bindings object of its own runs in a namespace (or, in Java, a private session): it asks too. */
    @ParameterizedTest
    @MethodSource("cases")
    void codeInAPerCallScopeAsksTheContextToo(Case c) throws ScriptException {
        ScriptContext context = context(new StringReader("Lin\n"));
        context.removeAttribute(AgbScriptEngine.SCOPE, ScriptContext.ENGINE_SCOPE);
        engine(c.language).eval(c.asksForAName, context);
        assertEquals("Name? hello Lin\n", out(context).replace("hello Lin \n", "hello Lin\n"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anInputSourceInTheContextAnswersAndIsToldThePrompt(Case c) throws ScriptException {
        List<String> prompts = new CopyOnWriteArrayList<>();
        ScriptContext context = context(null);
        context.setAttribute(AgbScriptEngine.INPUT, (InputSource) (prompt, password) -> {
            prompts.add(prompt + (password ? " (password)" : ""));
            return "Grace";
        }, ScriptContext.ENGINE_SCOPE);
        engine(c.language).eval(c.asksForAName, context);
        assertEquals(List.of(c.prompt), prompts);
        assertTrue(out(context).startsWith(c.prompt.isEmpty() ? "Name? hello Grace" : "hello Grace"), out(context));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withoutAReaderTheCodeFailsAtOnceSayingHowToGiveInputAndTheKernelKeepsItsState(Case c) throws ScriptException {
        AgbScriptEngine engine = engine(c.language);
        engine.eval(assignment(c.language, "kept", 42), context(null));
        long start = System.nanoTime();
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(c.asksForAName, context(null)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "failed at once, never waited");
        if (c.language == Language.JAVA) {
            // an IOException in the snippet: agb-jshell is a kernel of its own, which does not know the host
            assertTrue(e.getMessage().contains("System.in has no input here: the program that runs this code gives"
                    + " none"), e.getMessage());
        } else {
            assertEquals(InputSource.NO_INPUT_ERROR, e.error().name(), e.getMessage());
            assertTrue(e.getMessage().contains("the ScriptContext has no reader: give it one (ScriptContext.setReader),"
                    + " or an InputSource in the context attribute agb.input"), e.getMessage());
        }
        assertEquals(42L, ((Number) engine.eval("kept", context(null))).longValue());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theEndOfTheReadersInputIsTheLanguagesEndOfInput(Case c) throws ScriptException {
        ScriptContext context = context(new StringReader(""));
        try {
            engine(c.language).eval(c.asksForAName, context);
            assertEquals("Name? " + c.endOfInputSays, out(context));
        } catch (AgbScriptException e) {
            assertEquals(c.endOfInputSays, e.error().name(), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theTimeLimitRunsWhileTheCodeWaitsAndEndsTheWaitWithTheStateKept(Case c) throws Exception {
        AgbScriptEngine engine = engine(c.language);
        engine.eval(assignment(c.language, "before", 7), context(null));
        CountDownLatch readerStopped = new CountDownLatch(1);
        ScriptContext context = context(null);
        context.setAttribute(AgbScriptEngine.TIMEOUT, Duration.ofSeconds(1), ScriptContext.ENGINE_SCOPE);
        context.setAttribute(AgbScriptEngine.INPUT, (InputSource) (prompt, password) -> {
            try {
                Thread.sleep(60_000); // nobody answers
                return "too late";
            } catch (InterruptedException e) {
                readerStopped.countDown();
                throw new java.io.InterruptedIOException();
            }
        }, ScriptContext.ENGINE_SCOPE);
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(c.asksForAName, context));
        assertTrue(e.isTimeout(), e.getMessage());
        assertTrue(e.getMessage().contains("the kernel was interrupted and keeps its state"), e.getMessage());
        assertTrue(readerStopped.await(10, TimeUnit.SECONDS), "the reading was interrupted");
        assertEquals(7L, ((Number) engine.eval("before", context(null))).longValue());
    }

    private static String assignment(Language language, String name, long value) {
        return switch (language) {
            case R -> name + " <- " + value;
            case JAVA -> "long " + name + " = " + value + ";";
            case JAVASCRIPT -> "var " + name + " = " + value;
            default -> name + " = " + value;
        };
    }

    private static ScriptContext context(java.io.Reader reader) {
        ScriptContext context = new SimpleScriptContext();
        // The session's shared scope, so that what one eval leaves, the next sees (a Bindings object of its own
        // would be a namespace of its own each time)
        context.setAttribute(AgbScriptEngine.SCOPE, AgbScriptEngine.SESSION_SCOPE, ScriptContext.ENGINE_SCOPE);
        context.setReader(reader);
        context.setWriter(new StringWriter());
        context.setErrorWriter(new StringWriter());
        return context;
    }

    private static String out(ScriptContext context) {
        return context.getWriter().toString();
    }
}
