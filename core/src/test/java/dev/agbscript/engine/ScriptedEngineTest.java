package dev.agbscript.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.ScriptedBackend.ScriptedSandbox;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.script.Bindings;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own logic, on a backend in memory: what it sends, when, and what it makes of the answers. */
@Timeout(30)
class ScriptedEngineTest {
    private ScriptedBackend backend;
    private SessionManager manager;
    private AgbScriptEngine engine;

    @BeforeEach
    void start() {
        backend = new ScriptedBackend();
        manager = SessionManager.create(backend);
        engine = new PythonEngineFactory().getScriptEngine(manager);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    private ScriptedSandbox sandbox() {
        return backend.sandboxes.get(0);
    }

    @Test
    void theWorkingFolderReachesTheBackendAndEnginesOfANamedSessionMustAgree(@TempDir Path folder) throws Exception {
        backend.choosesFolders = true;
        engine.getContext().setAttribute(AgbScriptEngine.SESSION, "shared", ScriptContext.ENGINE_SCOPE);
        engine.getContext().setAttribute(AgbScriptEngine.WORKDIR, folder.toString(), ScriptContext.ENGINE_SCOPE);
        assertEquals(1L, engine.eval("1"));
        assertEquals(List.of(folder.toAbsolutePath()), backend.workingFolders);
        assertEquals(Optional.of(folder.toAbsolutePath()), engine.session().workingFolder());

        AgbScriptEngine other = new PythonEngineFactory().getScriptEngine(manager);
        other.getContext().setAttribute(AgbScriptEngine.SESSION, "shared", ScriptContext.ENGINE_SCOPE);
        other.getContext().setAttribute(AgbScriptEngine.WORKDIR, folder.resolve(".."), ScriptContext.ENGINE_SCOPE);
        ScriptException e = assertThrows(ScriptException.class, () -> other.eval("1"));
        assertTrue(e.getMessage().contains("Session 'shared' exists already with other sandbox options (working folder "
                + folder.toAbsolutePath()),
                e.getMessage());
    }

    @Test
    void aBackendThatCannotRunKernelsInTheHostsFolderSaysSo(@TempDir Path folder) {
        engine.getContext().setAttribute(AgbScriptEngine.WORKDIR, folder, ScriptContext.ENGINE_SCOPE);
        assertFalse(manager.supportsWorkingFolder());
        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("1"));
        assertEquals("The scripted backend cannot run kernels in a folder of the host's choice (asked for "
                + folder.toAbsolutePath() + "); leave the working folder unset", e.getMessage());

        AgbScriptEngine lost = new PythonEngineFactory().getScriptEngine(manager);
        lost.getContext().setAttribute(AgbScriptEngine.WORKDIR, folder.resolve("missing"), ScriptContext.ENGINE_SCOPE);
        e = assertThrows(ScriptException.class, () -> lost.eval("1"));
        assertEquals("The working folder " + folder.toAbsolutePath().resolve("missing") + " is no existing folder",
                e.getMessage());
    }

    @Test
    void nothingIsCreatedUntilTheFirstEvalAndReadingStartsNothing() throws ScriptException {
        engine.put("x", 1);
        assertEquals(1, engine.get("x"), "an unsent value reads back from the host side");
        assertNull(engine.get("y"));
        assertTrue(backend.sandboxes.isEmpty(), "reading created a sandbox");
        assertEquals(1L, engine.eval("x"));
        assertEquals(1, backend.sandboxes.size());
    }

    @Test
    void engineScopeValuesAreBoundOnceBeforeTheNextEval() throws ScriptException {
        engine.put("prices", List.of(3, 4.5));
        engine.eval("a = 1");
        engine.eval("b = 2");
        List<String> binds = sandbox().requests.stream().map(r -> r.code()).filter(c -> c.startsWith("_agb_bind"))
                .toList();
        assertEquals(List.of("_agb_bind(\"{\\\"prices\\\":[3,4.5]}\")"), binds);
        assertEquals(List.of(3L, 4.5), engine.get("prices"));
        assertEquals(1L, engine.get("a"), "the script's variables are read from the kernel");
    }

    @Test
    void globalScopeAndPerEvalBindingsAreSentWithEngineScopeWinning() throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        Bindings global = new SimpleBindings(Map.of("who", "global", "limit", 3));
        Bindings local = new SimpleBindings(Map.of("who", "local"));
        context.setBindings(global, ScriptContext.GLOBAL_SCOPE);
        context.setBindings(local, ScriptContext.ENGINE_SCOPE);
        assertEquals("local", engine.eval("who", context));
        assertEquals(3L, engine.eval("limit", context));
    }

    @Test
    void valuesWithoutAJsonFormAndHostObjectsAreNotSent() throws ScriptException {
        Bindings bindings = engine.createBindings();
        bindings.put("thread", Thread.currentThread());
        bindings.put("engine", engine);
        bindings.put("javax.script.filename", "x.py");
        bindings.put("not-a-name", 1);
        bindings.put("ok", true);
        assertEquals(true, engine.eval("ok", bindings));
        assertTrue(sandbox().requests.stream().anyMatch(r -> r.code().startsWith("# agb-namespace ")
                && r.code().contains(" {\"seed\":{\"ok\":true},")), sandbox().requests.toString());
    }

    @Test
    void outputReachesTheWritersAndErrorsCarryNameLineAndFile() {
        StringWriter out = new StringWriter();
        engine.getContext().setWriter(out);
        engine.getContext().setAttribute(javax.script.ScriptEngine.FILENAME, "rules.py", ScriptContext.ENGINE_SCOPE);
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("print(\"one\")\nx = 1\nfail ZeroDivisionError: division by zero"));
        assertEquals("one\n", out.toString());
        assertEquals(3, e.getLineNumber());
        assertEquals("rules.py", e.getFileName());
        assertEquals(ExecutionError.Kind.CODE, e.error().kind());
        assertTrue(e.getMessage().startsWith("ZeroDivisionError: division by zero"), e.getMessage());
    }

    @Test
    void theTimeoutAttributeReachesTheSandboxAndATimeoutIsReportedAsOne() {
        engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 0.05, ScriptContext.ENGINE_SCOPE);
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("wait"));
        assertTrue(e.isTimeout());
        assertEquals(Duration.ofMillis(50), sandbox().requests.get(sandbox().requests.size() - 1).timeout());
        engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, "soon", ScriptContext.ENGINE_SCOPE);
        ScriptException bad = assertThrows(ScriptException.class, () -> engine.eval("1"));
        assertTrue(bad.getMessage().contains("agb.timeout"), bad.getMessage());
    }

    @Test
    void hugeTimeoutsSaturateToNoLimitAndZeroOrNoneMeanNoLimit() throws ScriptException {
        for (Object huge : new Object[] {Duration.ofDays(365_000), Duration.ofSeconds(Long.MAX_VALUE), Long.MAX_VALUE,
                Double.MAX_VALUE, 0, "none", Duration.ZERO}) {
            engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, huge, ScriptContext.ENGINE_SCOPE);
            assertEquals(2L, engine.eval("2"), String.valueOf(huge));
            var request = sandbox().requests.get(sandbox().requests.size() - 1);
            assertFalse(request.hasTimeout(), String.valueOf(huge));
            assertTrue(request.deadlineNanos(System.nanoTime()) - System.nanoTime() > 0, "no overflow for " + huge);
        }
        engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, -1, ScriptContext.ENGINE_SCOPE);
        assertThrows(ScriptException.class, () -> engine.eval("1"));
        int before = sandbox().requests.size();
        engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, Duration.ofSeconds(-1), ScriptContext.ENGINE_SCOPE);
        assertThrows(ScriptException.class, () -> engine.eval("1"));
        assertEquals(before, sandbox().requests.size(), "nothing was sent with a bad limit");
    }

    @Test
    void oneEngineRunsItsEvalsOneAtATimeAndEnginesRunInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long n = i;
                results.add(pool.submit(() -> engine.eval("v = " + n + "\nv")));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals((long) i, results.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, sandbox().mostAtOnce.get(), "one engine's evals overlapped");

            // Two engines (two sessions) meet inside their evals: they run at the same time.
            CountDownLatch bothIn = new CountDownLatch(2);
            backend.functions.put("meet", args -> {
                bothIn.countDown();
                try {
                    return bothIn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            });
            AgbScriptEngine other = new PythonEngineFactory().getScriptEngine(manager);
            Future<Object> first = pool.submit(() -> ((Invocable) engine).invokeFunction("meet"));
            Future<Object> second = pool.submit(() -> ((Invocable) other).invokeFunction("meet"));
            assertEquals(true, first.get(15, TimeUnit.SECONDS));
            assertEquals(true, second.get(15, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void functionsAreCalledWithValuesAndAMissingOneIsNoSuchMethod() throws Exception {
        backend.functions.put("area", args -> (Long) args.get(0) * (Long) args.get(1));
        assertEquals(12L, engine.invokeFunction("area", 3, 4));
        assertThrows(NoSuchMethodException.class, () -> engine.invokeFunction("volume", 1));
        Runnable none = engine.getInterface(Runnable.class);
        assertNull(none, "no function run: no proxy");
        assertThrows(IllegalArgumentException.class, () -> engine.invokeFunction("area", new Object()));
    }

    @Test
    void closingAnEngineDeletesItsPrivateSessionButNotASharedOne() throws ScriptException {
        engine.eval("x = 1");
        AgbScriptEngine shared = new PythonEngineFactory().getScriptEngine(manager);
        shared.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        AgbScriptEngine sharedToo = new JavaScriptEngineFactory().getScriptEngine(manager);
        sharedToo.getContext().setAttribute(AgbScriptEngine.SESSION, "team", ScriptContext.ENGINE_SCOPE);
        shared.eval("y = 2");
        sharedToo.eval("z = 3");
        assertEquals(2, backend.sandboxes.size(), "engines of one named session share one sandbox");

        engine.close();
        assertTrue(backend.sandboxes.get(0).closed);
        assertThrows(IllegalStateException.class, () -> engine.eval("1"));
        shared.close();
        assertFalse(backend.sandboxes.get(1).closed, "a named session outlives its engines");
        assertEquals(3L, sharedToo.eval("z"));
        assertEquals(Language.JAVASCRIPT, sharedToo.language());

        manager.close();
        assertTrue(backend.sandboxes.get(1).closed, "closing the manager deletes every session");
    }

    @Test
    void anInterruptedEvalThrowsAndKeepsTheThreadInterrupted() throws Exception {
        Thread evaluator = Thread.currentThread();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            engine.getContext().setAttribute(AgbScriptEngine.TIMEOUT, 60, ScriptContext.ENGINE_SCOPE);
            engine.eval("warm = 1");
            Future<?> interrupter = pool.submit(() -> {
                while (sandbox().running.get() == 0) {
                    Thread.onSpinWait();
                }
                evaluator.interrupt();
            });
            ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("wait"));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt status is kept");
            interrupter.get(5, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theValueOfAStatementIsNullAndOfAnExpressionIsTyped() throws ScriptException {
        assertNull(engine.eval("x = 5"));
        assertInstanceOf(Long.class, engine.eval("x"));
    }

    @Test
    void globalValuesAreInitialValuesSentOnlyWhenTheHostChangesThem() throws ScriptException {
        Bindings global = new SimpleBindings();
        global.put("counter", 0);
        engine.getContext().setBindings(global, ScriptContext.GLOBAL_SCOPE);
        engine.eval("counter = 1");
        engine.eval("counter = 2");
        assertEquals(2L, engine.eval("counter"), "the global value overwrote the script's own");
        assertEquals(2L, engine.get("counter"), "a read sent the global value again");
        global.put("counter", 10);
        assertEquals(10L, engine.eval("counter"), "a value the host changed is sent again");
        assertEquals(1, sandbox().requests.stream().filter(r -> r.code().contains("\\\"counter\\\":0")).count());
    }

    @Test
    void theEnginesOwnScopeAsGlobalScopeIsNotSentBack() throws ScriptException {
        engine.getContext().setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.GLOBAL_SCOPE);
        engine.put("x", 1);
        engine.eval("y = 2");
        assertEquals(1L, engine.eval("x"));
        assertEquals(2L, engine.getBindings(ScriptContext.GLOBAL_SCOPE).get("y"));
        assertEquals(1, sandbox().requests.stream().filter(r -> r.code().startsWith("_agb_bind")).count());
    }

    @Test
    void theLiveBindingsKeepTheBindingsContract() throws ScriptException {
        Bindings scope = engine.getBindings(ScriptContext.ENGINE_SCOPE);
        assertThrows(NullPointerException.class, () -> scope.get(null));
        assertThrows(NullPointerException.class, () -> scope.containsKey(null));
        assertThrows(NullPointerException.class, () -> scope.remove(null));
        assertThrows(NullPointerException.class, () -> scope.put(null, 1));
        assertThrows(ClassCastException.class, () -> scope.get(1));
        assertThrows(ClassCastException.class, () -> scope.containsKey(1));
        assertThrows(ClassCastException.class, () -> scope.remove(1));
        assertThrows(IllegalArgumentException.class, () -> scope.put("", 1));
        assertThrows(NullPointerException.class, () -> engine.invokeMethod(new Object(), null));

        engine.eval("x = 5");
        assertTrue(scope.containsKey("x"));
        assertEquals(5L, scope.remove("x"));
        assertFalse(scope.containsKey("x"), "the variable stayed in the kernel");
        assertFalse(sandbox().variables.containsKey("x"));
        assertThrows(AgbScriptException.class, () -> engine.eval("x"));
    }

    @Test
    void textWithALoneSurrogateIsRefusedBeforeAnythingIsSent() throws ScriptException {
        engine.eval("warm = 1");
        ScriptException inCode = assertThrows(ScriptException.class, () -> engine.eval("x = 1\ny = \"a\uD83D\""));
        assertTrue(inCode.getMessage().contains("lone surrogate (U+D83D at line 2, column 7)"), inCode.getMessage());
        engine.put("text", "ok\uDE00");
        ScriptException inBinding = assertThrows(ScriptException.class, () -> engine.eval("1"));
        assertTrue(inBinding.getMessage().contains("Binding 'text'") && inBinding.getMessage().contains("U+DE00"),
                inBinding.getMessage());
        assertEquals(List.of("warm = 1"), sandbox().userCode(), "code was sent");
        assertTrue(sandbox().requests.stream().noneMatch(r -> r.code().startsWith("_agb_bind")), "a binding was sent");
        engine.put("text", "paired \uD83D\uDE00 is fine");
        assertEquals("paired \uD83D\uDE00 is fine", engine.eval("text"));
    }

    @Test
    void aBindingWithoutAJsonFormIsWarnedOfOncePerProcessAndHostObjectsNever() throws ScriptException {
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(KernelVariables.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 3; i++) {
                AgbScriptEngine perScript = new PythonEngineFactory().getScriptEngine(manager);
                Bindings bindings = perScript.createBindings();
                bindings.put("uniqueHandle" + getClass().hashCode(), new Object());
                bindings.put("project", new Object()); // Apache Ant's
                bindings.put("elements", Map.of("fileset", List.of(new Object()))); // Ant's <scriptdef>'s
                bindings.put("log", new Object()); // Apache JMeter's
                perScript.eval("1", bindings);
            }
        } finally {
            logger.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("uniqueHandle"), warnings.toString());
    }
}
