package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The javax.script contract beyond eval: factory, bindings both ways, Invocable, Compilable, callbacks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScriptingApiTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;
    private final PythonEngineFactory factory = new PythonEngineFactory();

    @BeforeAll
    void start() {
        manager = kernels.manager();
    }


    private AgbScriptEngine newEngine() {
        return factory.getScriptEngine(manager);
    }

    public interface Calculator {
        long add(long a, long b);

        String greet(String name);
    }

    @Test
    void factoryAnswersEveryStandardParameter() {
        assertEquals("agb-python", factory.getParameter(ScriptEngine.ENGINE));
        assertEquals(factory.getEngineVersion(), factory.getParameter(ScriptEngine.ENGINE_VERSION));
        assertEquals("agb-python", factory.getParameter(ScriptEngine.NAME));
        assertEquals("python", factory.getParameter(ScriptEngine.LANGUAGE));
        assertNotNull(factory.getParameter(ScriptEngine.LANGUAGE_VERSION));
        assertEquals("MULTITHREADED", factory.getParameter("THREADING"));
        assertNull(factory.getParameter("no.such.key"));
    }

    @Test
    void helperStatementsAreValidEscapedCode() throws ScriptException {
        try (AgbScriptEngine engine = newEngine()) {
            String tricky = "quote \" apostrophe ' backslash \\ newline\n tab\t unicode é😀 \\u0041";
            StringWriter out = new StringWriter();
            ScriptContext context = context(out);
            engine.eval(factory.getProgram(factory.getOutputStatement(tricky),
                    "class Box:\n    def double(self, a, b):\n        return (a + b) * 2",
                    "box = Box()"), context);
            assertEquals(tricky + "\n", out.toString());
            assertEquals(10L, engine.eval(factory.getMethodCallSyntax("box", "double", "2", "3"), context));
        }
    }

    @Test
    void theScriptsVariablesAreReadableThroughGetAndTheEngineScope() throws ScriptException {
        try (AgbScriptEngine engine = newEngine()) {
            assertNull(engine.get("result"), "no session yet: nothing to read, nothing started");
            engine.put("factor", 3);
            engine.eval("result = [factor * i for i in range(3)]\nlabel = 'done'");
            assertEquals(List.of(0L, 3L, 6L), engine.get("result"));
            Bindings scope = engine.getBindings(ScriptContext.ENGINE_SCOPE);
            assertEquals("done", scope.get("label"));
            assertTrue(scope.containsKey("result"));
            assertEquals(Map.of("factor", 3L, "result", List.of(0L, 3L, 6L), "label", "done"), Map.copyOf(scope));
            engine.eval("label = 'changed'");
            assertEquals("changed", engine.get("label"), "a read after an eval sees the change");
            engine.put("label", "from java");
            assertEquals("from java", engine.eval("label"));
        }
    }

    @Test
    void bindingsForOneEvalAreThatCallsScopeAndNoOtherCallsOrTheEngines() throws ScriptException {
        try (AgbScriptEngine engine = newEngine()) {
            Bindings call = engine.createBindings();
            call.put("a", 20);
            call.put("b", 22);
            assertEquals(42L, engine.eval("a + b", call));
            ScriptContext context = context(new StringWriter());
            context.getBindings(ScriptContext.ENGINE_SCOPE).put("a", 1);
            AgbScriptException unseen = assertThrows(AgbScriptException.class, () -> engine.eval("a + b", context));
            assertEquals("NameError", unseen.error().name(), "b of another call's bindings was seen");
            context.getBindings(ScriptContext.ENGINE_SCOPE).put("b", 2);
            assertEquals(3L, engine.eval("a + b", context));
            assertNull(engine.get("a"), "the engine's own scope got a call's value");
        }
    }

    @Test
    void invokesFunctionsAndImplementsInterfaces() throws Exception {
        try (AgbScriptEngine engine = newEngine()) {
            engine.eval("def add(a, b):\n    return a + b\n\ndef greet(name):\n    return 'hello ' + name");
            assertEquals(5L, engine.invokeFunction("add", 2, 3));
            assertEquals(List.of(1L, 2L), engine.invokeFunction("add", List.of(1), List.of(2)));
            NoSuchMethodException missing = assertThrows(NoSuchMethodException.class,
                    () -> engine.invokeFunction("scriptLoaded", "x"));
            assertTrue(missing.getMessage().contains("scriptLoaded"), missing.getMessage());
            AgbScriptException failing = assertThrows(AgbScriptException.class,
                    () -> engine.invokeFunction("add", 1, "x"));
            assertEquals("TypeError", failing.error().name());

            Calculator calculator = engine.getInterface(Calculator.class);
            assertNotNull(calculator);
            assertEquals(7L, calculator.add(3, 4));
            assertEquals("hello Ada", calculator.greet("Ada"));
            assertNull(engine.getInterface(Runnable.class), "no function run: no implementation");
            assertThrows(IllegalArgumentException.class, () -> engine.invokeMethod("box", "m"));
            assertNull(engine.getInterface("box", Calculator.class));
        }
    }

    @Test
    void compileChecksSyntaxAndTheCompiledScriptServesManyThreadsWithTheirOwnBindings() throws Exception {
        try (AgbScriptEngine engine = newEngine()) {
            assertThrows(ScriptException.class, () -> engine.compile("def broken(:\n"));
            // 'mine' has no JSON form, so it stays in the namespace of the thread's bindings and never reaches them:
            // a thread that finds another thread's set found another thread's namespace.
            CompiledScript script = engine.compile("print(f'{thread}:{i}')\n"
                    + "if 'mine' not in globals():\n    mine = {thread}\n"
                    + "seen = sorted(mine)\n"
                    + "thread * 1000 + i if mine == {thread} else -1");
            int threads = 8;
            int evalsPerThread = 200;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        StringWriter out = new StringWriter();
                        ScriptContext context = context(out);
                        Bindings bindings = context.getBindings(ScriptContext.ENGINE_SCOPE);
                        List<String> problems = new ArrayList<>();
                        for (int i = 0; i < evalsPerThread; i++) {
                            bindings.put("thread", thread);
                            bindings.put("i", i);
                            Object value = script.eval(context);
                            if (!Long.valueOf(thread * 1000L + i).equals(value) && problems.size() < 5) {
                                problems.add("thread " + thread + " eval " + i + " returned " + value);
                            }
                            if ((!List.of((long) thread).equals(bindings.get("seen"))
                                    || !bindings.keySet().equals(java.util.Set.of("thread", "i", "seen")))
                                    && problems.size() < 5) {
                                problems.add("thread " + thread + " eval " + i + " has bindings "
                                        + new java.util.TreeMap<>(bindings));
                            }
                        }
                        StringBuilder expected = new StringBuilder();
                        for (int i = 0; i < evalsPerThread; i++) {
                            expected.append(thread).append(':').append(i).append('\n');
                        }
                        if (!expected.toString().equals(out.toString())) {
                            problems.add("thread " + thread + " output differs: " + out);
                        }
                        return problems;
                    }));
                }
                List<String> problems = new ArrayList<>();
                for (Future<List<String>> future : futures) {
                    problems.addAll(future.get(150, TimeUnit.SECONDS));
                }
                assertEquals(List.of(), problems);
                assertNull(engine.get("mine"), "the session's shared scope got a thread's value");
                assertNull(engine.get("seen"), "the session's shared scope got a thread's value");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aListenerInTheContextSeesOutputsResultsAndErrors() {
        try (AgbScriptEngine engine = newEngine()) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            ScriptContext context = context(new StringWriter());
            context.setAttribute(AgbScriptEngine.LISTENER, new ExecutionListener() {
                @Override
                public void onStdout(String chunk) {
                    events.add("out:" + chunk.trim());
                }

                @Override
                public void onStderr(String chunk) {
                    events.add("err:" + chunk.trim());
                }

                @Override
                public void onResult(MimeBundle result) {
                    events.add("result:" + result.text());
                }

                @Override
                public void onError(ExecutionError error) {
                    events.add("error:" + error.name());
                }
            }, ScriptContext.ENGINE_SCOPE);
            assertThrows(AgbScriptException.class, () -> engine.eval(
                    "import sys\nprint('a'); sys.stdout.flush()\nprint('b', file=sys.stderr); sys.stderr.flush()\n"
                            + "from IPython.display import display\ndisplay(7)\nraise KeyError('k')", context));
            assertEquals(List.of("out:a", "err:b", "result:7", "error:KeyError"), events);
        }
    }

    @Test
    void evalsOfDifferentEnginesRunInParallel(@TempDir Path dir) throws Exception {
        Kernels.assumeKernelsOnThisMachine(); // the two kernels meet through a folder of the host
        // Sessions see no host folder and none of each other's: these two are given one to share, writable by whoever
        // the kernels run as (the local backend's sandbox user, when the host runs as root).
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        boolean mounted = Kernels.mountsHostFolders();
        String flag = mounted ? "/mnt/shared/flag" : dir.resolve("flag").toString();
        try (AgbScriptEngine waiter = newEngine(); AgbScriptEngine setter = newEngine()) {
            for (AgbScriptEngine engine : mounted ? List.of(waiter, setter) : List.<AgbScriptEngine>of()) {
                engine.getContext().setAttribute(SandboxOptions.MOUNTS, SandboxOptions.Mount.writable("shared", dir),
                        ScriptContext.ENGINE_SCOPE);
            }
            waiter.eval("1");
            setter.eval("1");
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // The waiter can only finish if the setter runs while it waits.
                Future<Object> waiting = pool.submit(() -> waiter.eval(
                        "import os, time\ndeadline = time.time() + 60\n"
                                + "while not os.path.exists('" + flag + "') and time.time() < deadline:\n"
                                + "    time.sleep(0.01)\nos.path.exists('" + flag + "')"));
                setter.eval("open('" + flag + "', 'w').close()");
                assertEquals(true, waiting.get(90, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            assertTrue(Files.exists(dir.resolve("flag")));
        }
    }

    @Test
    void aNamedSessionIsSharedAcrossEnginesThatAskForIt() throws ScriptException {
        try (AgbScriptEngine first = newEngine(); AgbScriptEngine second = newEngine()) {
            first.getContext().setAttribute(AgbScriptEngine.SESSION, "shared-test", ScriptContext.ENGINE_SCOPE);
            second.getContext().setAttribute(AgbScriptEngine.SESSION, "shared-test", ScriptContext.ENGINE_SCOPE);
            first.eval("shared_value = 'seen'");
            assertEquals("seen", second.eval("shared_value"));
            first.close();
            assertEquals("seen", second.eval("shared_value"), "closing one engine keeps a shared session");
        }
    }

    @Test
    void factoryReportsTheKernelsVersionOnceOneRan() throws ScriptException {
        try (AgbScriptEngine engine = newEngine()) {
            engine.eval("1");
            assertTrue(factory.getLanguageVersion().startsWith("python 3."), factory.getLanguageVersion());
            assertFalse(factory.getLanguageVersion().isEmpty());
        }
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static ScriptContext context(StringWriter out) {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(out);
        context.setErrorWriter(new StringWriter());
        return context;
    }
}
