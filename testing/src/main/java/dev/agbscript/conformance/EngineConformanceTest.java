package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The foundation's engine behaviour (PythonEngineTest), for every language, against real kernels. Each
 * language brings its own snippets; one engine per language is shared where isolation is not under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineConformanceTest {
    /** One language's snippets for the shared behaviour. */
    record Lang(String name, List<String> names, String extension, String mimeType,
                String setCounter, String incrementCounter, String counterPlusOne,
                String printStartedWaitPrintDoneThenFinished,
                String errorOnLine3, String errorName,
                String syntaxError,
                String formatBindings, String expectedBindings,
                String keep, String spin, String kept,
                String outAndErr, String versionPattern) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Lang> languages() {
        return Stream.of(
                new Lang("python", List.of("agb-python", "agb-py", "agb-python3"), "py", "text/x-python",
                        "counter = 40", "counter += 1", "counter + 1",
                        "import time\nprint('started', flush=True)\ntime.sleep(2)\nprint('done')\n'finished'",
                        "a = 1\nb = 0\nc = a / b\n", "ZeroDivisionError",
                        "x = 1\ny = (2 +\n",
                        "f'{name}:{limit}:{sum(scores)}:{config[\"debug\"]}'", "Ada:3:3.5:True",
                        "kept = 'still here'", "while True:\n    pass", "kept",
                        "import sys\nprint('to out')\nprint('to err', file=sys.stderr)",
                        "python 3\\.\\d+\\.\\d+ \\(ipython .*\\)"),
                new Lang("javascript", List.of("agb-javascript", "agb-js", "agb-node", "agb-nodejs"), "js",
                        "application/javascript",
                        "counter = 40", "counter += 1", "counter + 1",
                        "console.log('started')\nawait new Promise(r => setTimeout(r, 2000))\nconsole.log('done')\n"
                                + "'finished'",
                        "let a = 1\nlet b = null\nb.value", "TypeError",
                        "let x = 1\nlet y = (2 +\n",
                        "`${name}:${limit}:${scores.reduce((s, v) => s + v)}:${config.debug}`", "Ada:3:3.5:true",
                        "var kept = 'still here'", "while (true) {}", "kept",
                        "console.log('to out')\nconsole.error('to err')",
                        "javascript 2\\d\\.\\d+\\.\\d+ \\(jslab .*\\)"),
                new Lang("r", List.of("agb-r", "agb-R"), "R", "text/x-r",
                        "counter <- 40", "counter <- counter + 1", "counter + 1",
                        "cat('started\\n')\nSys.sleep(2)\ncat('done\\n')\n'finished'",
                        "a <- 1\nb <- 0\nstop('b is ', b)", "Error",
                        "x <- 1\ny <- (2 +\n",
                        "paste(name, limit, sum(scores), config$debug, sep = ':')", "Ada:3:3.5:TRUE",
                        "kept <- 'still here'", "repeat {}", "kept",
                        "cat('to out\\n')\nmessage('to err')",
                        "R 4\\.\\d+\\.\\d+ \\(IRkernel .*\\)"),
                new Lang("java", List.of("agb-java"), "java", "text/x-java",
                        "int counter = 40;", "counter += 1;", "counter + 1",
                        "System.out.println(\"started\");\nThread.sleep(2000);\nSystem.out.println(\"done\");\n"
                                + "\"finished\"",
                        "int a = 1;\nint b = 0;\nint c = a / b;", "ArithmeticException",
                        "int x = 1;\nint y = (2 +;\n",
                        "name + \":\" + limit + \":\" + scores.stream().mapToDouble(v -> ((Number) v).doubleValue())"
                                + ".sum() + \":\" + config.get(\"debug\")", "Ada:3:3.5:true",
                        "String kept = \"still here\";", "while (true) {}", "kept",
                        "System.out.println(\"to out\");\nSystem.err.println(\"to err\");", "java .*"));
    }

    /** Per language: literals and the typed Java values they evaluate to (the full table: ValueConformanceTest). */
    static final Map<String, Map<String, Object>> TYPED = Map.of(
            "python", typed("1+1", "5/2", "'h\u00e9llo \"q\"'", "1 < 2", "None", "[1, 'two', None, 3.5]"),
            "javascript", typed("1+1", "5/2", "'h\u00e9llo \"q\"'", "1 < 2", "null", "[1, 'two', null, 3.5]"),
            "r", typed("1+1", "5/2", "'h\u00e9llo \"q\"'", "1 < 2", "NULL", "list(1L, 'two', NULL, 3.5)"),
            "java", typed("1+1", "5/2.0", "\"h\u00e9llo \\\"q\\\"\"", "1 < 2", "null",
                    "java.util.Arrays.asList(1, \"two\", null, 3.5)"));

    private static Map<String, Object> typed(String two, String twoAndAHalf, String text, String yes, String nothing,
                                             String list) {
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put(two, 2L);
        expected.put(twoAndAHalf, 2.5);
        expected.put(text, "h\u00e9llo \"q\"");
        expected.put(yes, true);
        expected.put(nothing, null);
        expected.put(list, java.util.Arrays.asList(1L, "two", null, 3.5));
        return expected;
    }

    /** Per language: code that makes the kernel process exit, and the exit code the error names. */
    static final Map<String, List<String>> DIE = Map.of(
            "python", List.of("import os\nos._exit(3)", "3"),
            "javascript", List.of("process.exit(3)", "3"),
            "r", List.of("tools::pskill(Sys.getpid(), tools::SIGKILL)", "137"),
            // Snippets run in the agent JVM; its parent is the kernel process (System.exit only ends the agent,
            // which the kernel replaces: JavaEngineTest covers that).
            "java", List.of("ProcessHandle.current().parent().ifPresent(ProcessHandle::destroyForcibly);", "137"));

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private final Map<String, AgbScriptEngine> engines = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    void startManager() {
        manager = kernels.manager();
    }

    @AfterAll
    void closeManager() {
        background.shutdownNow();
    }

    /** The shared engine of the language. */
    private AgbScriptEngine engine(Lang lang) {
        return engines.computeIfAbsent(lang.name(), name -> newEngine(lang));
    }

    private AgbScriptEngine newEngine(Lang lang) {
        ScriptEngine found = new ScriptEngineManager().getEngineByName(lang.names().get(0));
        assertNotNull(found, lang.name() + " has no engine registered");
        return ((AgbScriptEngine) found).getFactory().getScriptEngine(manager);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void isDiscoveredByNameAliasExtensionAndMimeType(Lang lang) {
        engine(lang);
        ScriptEngineManager plain = new ScriptEngineManager();
        for (String name : lang.names()) {
            ScriptEngine found = plain.getEngineByName(name);
            assertNotNull(found, name);
            assertInstanceOf(AgbScriptEngine.class, found);
            assertEquals(lang.name(), found.getFactory().getLanguageName());
        }
        assertEquals(lang.name(), plain.getEngineByExtension(lang.extension()).getFactory().getLanguageName());
        assertEquals(lang.name(), plain.getEngineByMimeType(lang.mimeType()).getFactory().getLanguageName());
    }

    @ParameterizedTest
    @MethodSource("languages")
    void statePersistsBetweenEvals(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        engine.eval(lang.setCounter());
        engine.eval(lang.incrementCounter());
        assertEquals(42L, engine.eval(lang.counterPlusOne()));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void returnsTypedValuesOfTheLastExpression(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        for (Map.Entry<String, Object> literal : TYPED.get(lang.name()).entrySet()) {
            assertEquals(literal.getValue(), engine.eval(literal.getKey()), literal.getKey());
        }
    }

    /** Per language: a method that upper-cases a string, for the factory's method call syntax. */
    static final Map<String, String> UPPER = Map.of("python", "upper", "javascript", "toUpperCase", "r", "toupper",
            "java", "toUpperCase");

    @ParameterizedTest
    @MethodSource("languages")
    void theFactorysStatementsRunAsTheyAreMeant(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        javax.script.ScriptEngineFactory factory = engine.getFactory();
        StringWriter out = new StringWriter();
        String text = "say \"hi\" \\ to ü\tand 😀";
        engine.eval(factory.getProgram(factory.getOutputStatement(text), factory.getOutputStatement("!")),
                contextWith(out, new StringWriter()));
        assertEquals(text + "!", out.toString().replace("\n", ""));
        String literal = ((AgbScriptEngineFactory) factory).dialect().stringLiteral("abc");
        assertEquals("ABC", engine.eval(factory.getMethodCallSyntax(literal, UPPER.get(lang.name()))));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void twoEnginesDoNotShareVariables(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        engine.eval(lang.setCounter());
        AgbScriptEngine other = engine.getFactory().getScriptEngine(manager);
        try {
            assertThrows(AgbScriptException.class, () -> other.eval(lang.counterPlusOne()));
        } finally {
            other.close();
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void aDeadKernelIsAClearErrorAndTheNextEvalStartsAFreshOne(Lang lang) throws ScriptException {
        AgbScriptEngine own = engine(lang).getFactory().getScriptEngine(manager);
        try {
            own.eval(lang.setCounter());
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> own.eval(DIE.get(lang.name()).get(0)));
            assertEquals("KernelDiedError", e.error().name());
            // A gateway restarts the kernel and says so, but never tells the exit code.
            assertTrue(e.getMessage().contains(Kernels.reportsExitCodes() ? "exited (code " + DIE.get(lang.name()).get(1)
                    + ")" : "exited"), e.getMessage());
            assertEquals(2L, own.eval("1+1"));
            assertThrows(AgbScriptException.class, () -> own.eval(lang.counterPlusOne()), "state was lost");
        } finally {
            own.close();
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void stdoutReachesTheWriterWhileTheCodeStillRuns(Lang lang) throws Exception {
        AgbScriptEngine engine = engine(lang);
        CountDownLatch started = new CountDownLatch(1);
        StringBuilder seen = new StringBuilder();
        ScriptContext context = contextWith(new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                synchronized (seen) {
                    seen.append(buffer, offset, length);
                    if (seen.toString().contains("started")) {
                        started.countDown();
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }, new StringWriter());
        Future<Object> run = background.submit(() -> engine.eval(lang.printStartedWaitPrintDoneThenFinished(), context));
        assertTrue(started.await(30, TimeUnit.SECONDS), "stdout did not arrive");
        assertFalse(run.isDone(), "the output came only after the code had finished");
        assertEquals("finished", run.get(30, TimeUnit.SECONDS));
        synchronized (seen) {
            assertEquals("started\ndone\n", seen.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void stdoutAndStderrReachTheirWriters(Lang lang) throws ScriptException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        engine(lang).eval(lang.outAndErr(), contextWith(out, err));
        assertEquals("to out\n", out.toString());
        assertEquals("to err", err.toString().strip());
    }

    @ParameterizedTest
    @MethodSource("languages")
    void anErrorOnLine3HasItsNameMessageAndLine(Lang lang) {
        ScriptContext context = contextWith(new StringWriter(), new StringWriter());
        context.setAttribute(ScriptEngine.FILENAME, "rules." + lang.extension(), ScriptContext.ENGINE_SCOPE);
        AgbScriptEngine engine = engine(lang);
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(lang.errorOnLine3(), context));
        assertTrue(e.error().name().contains(lang.errorName()), e.error().toString());
        assertFalse(e.error().value().isBlank(), e.error().toString());
        assertEquals(3, e.getLineNumber(), e.error() + "\n" + e.remoteTraceback());
        assertEquals("rules." + lang.extension(), e.getFileName());
        assertFalse(e.error().syntax());
        assertFalse(e.remoteTraceback().isBlank());
        assertFalse(e.remoteTraceback().contains("\u001b["), "traceback keeps terminal colors");
    }

    @ParameterizedTest
    @MethodSource("languages")
    void aSyntaxErrorIsMarkedAsSuch(Lang lang) {
        AgbScriptEngine engine = engine(lang);
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(lang.syntaxError()));
        assertTrue(e.error().syntax(), e.error().toString());
        assertTrue(e.getLineNumber() >= 2, "line " + e.getLineNumber() + ": " + e.remoteTraceback());
    }

    @ParameterizedTest
    @MethodSource("languages")
    void bindingsAreVisibleAsVariables(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        Bindings bindings = engine.createBindings();
        bindings.put("name", "Ada");
        bindings.put("limit", 3);
        bindings.put("scores", List.of(1, 2.5));
        bindings.put("config", Map.of("debug", true));
        bindings.put("not-an-identifier", 1);
        bindings.put("thread", Thread.currentThread());
        assertEquals(lang.expectedBindings(), engine.eval(lang.formatBindings(), bindings));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void aTimeoutInterruptsTheKernelAndKeepsItsState(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        engine.eval(lang.keep());
        ScriptContext context = contextWith(new StringWriter(), new StringWriter());
        // The engine's own scope, as this is about its kernel (other bindings are a scope of their own, in Java a
        // kernel of their own); the time limit in the context's GLOBAL_SCOPE, not in the engine's.
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        context.setBindings(new javax.script.SimpleBindings(), ScriptContext.GLOBAL_SCOPE);
        context.setAttribute(AgbScriptEngine.TIMEOUT, 1, ScriptContext.GLOBAL_SCOPE);
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval(lang.spin(), context));
        assertTrue(e.isTimeout(), e.toString());
        assertTrue(e.getMessage().contains("interrupted and keeps its state"), e.getMessage());
        assertEquals("still here", engine.eval(lang.kept()));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void reportsTheLanguageVersionOfTheRunningKernel(Lang lang) throws ScriptException {
        AgbScriptEngine engine = engine(lang);
        engine.eval(lang.setCounter());
        String version = engine.languageVersion().orElseThrow();
        assertTrue(version.matches(lang.versionPattern()), version);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void noKernelIsLeftAfterTheManagerCloses(Lang lang) throws Exception {
        Kernels.assumeKernelsOnThisMachine();
        engine(lang);
        SessionManager own = kernels.newManager();
        // The processes the kernel brought (in a sandbox, its pid there is not the host's).
        Set<ProcessHandle> before = ProcessHandle.current().descendants().collect(Collectors.toSet());
        List<ProcessHandle> started;
        try {
            AgbScriptEngine engine = engine(lang).getFactory().getScriptEngine(own);
            engine.eval(lang.setCounter());
            started = ProcessHandle.current().descendants().filter(p -> !before.contains(p)).toList();
            assertFalse(started.isEmpty(), "no process started for the kernel");
        } finally {
            own.close();
        }
        for (ProcessHandle process : started) {
            process.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(process.isAlive(), "process " + process.pid() + " of the kernel survived close()");
        }
    }

    private static ScriptContext contextWith(Writer out, Writer err) {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(out);
        context.setErrorWriter(err);
        return context;
    }
}
