package dev.agbscript.conformance;

import dev.agbscript.session.ValueJson;
import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.JavaEngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SessionManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

/**
 * agb-java end to end: a real agb-jshell kernel (and its agent JVM) behind the JSR-223 engine. One kernel
 * serves the class; tests that need a fresh one make their own manager.
 */
class JavaEngineTest {
    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private static SessionManager manager;
    private static AgbScriptEngine engine;

    @BeforeAll
    static void start() {
        manager = kernels.manager();
        engine = new JavaEngineFactory().getScriptEngine(manager);
    }


    /**
     * Writers of the test's own on the engine's own scope: in Java any other Bindings object is a private session,
     * a kernel of its own, and these tests are about the engine's. Attributes go to the context's GLOBAL_SCOPE, so
     * that none stays in the engine's scope.
     */
    private static ScriptContext context() {
        ScriptContext context = ownContext();
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
        context.setBindings(new SimpleBindings(), ScriptContext.GLOBAL_SCOPE);
        return context;
    }

    /** Writers and bindings of the test's own: a private session. */
    private static ScriptContext ownContext() {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(new StringWriter());
        context.setErrorWriter(new StringWriter());
        return context;
    }

    @Test
    void discoveredByNameAliasExtensionAndMimeType() throws ScriptException {
        ScriptEngineManager plain = new ScriptEngineManager();
        for (ScriptEngine found : List.of(plain.getEngineByName("agb-java"), plain.getEngineByName("agb-jshell"),
                plain.getEngineByExtension("java"), plain.getEngineByExtension("jsh"),
                plain.getEngineByMimeType("text/x-java-source"), plain.getEngineByMimeType("text/x-java"))) {
            AgbScriptEngine agb = assertInstanceOf(AgbScriptEngine.class, found);
            assertEquals(Language.JAVA, agb.language());
            assertEquals("java", agb.getFactory().getLanguageName());
        }
        // The plain manager's engine runs too (on the process-wide session manager).
        try (AgbScriptEngine viaManager = (AgbScriptEngine) plain.getEngineByName("agb-java")) {
            assertEquals(42L, viaManager.eval("6 * 7"));
            assertTrue(viaManager.languageVersion().orElseThrow().startsWith("java " + Runtime.version().feature()),
                    viaManager.languageVersion().toString());
        }
    }

    @Test
    void statePersistsAcrossEvals() throws ScriptException {
        engine.eval("int x = 41;");
        // An int expression comes back as the host's integer type, Long.
        assertEquals(42L, engine.eval("x + 1"));
        assertNull(engine.eval("int y = x * 2;"), "a declaration has no value");
        assertEquals(82L, engine.eval("y"));
        // Semicolons are optional at the end of a cell, even before a comment.
        engine.eval("int z = 3 // no semicolon");
        assertEquals(4L, engine.eval("z + 1 // a comment"));
    }

    @Test
    void valuesComeBackTyped() throws ScriptException {
        assertEquals(7L, engine.eval("7L"));
        assertEquals(2.5, engine.eval("2.5"));
        assertEquals("héllo \"q\" 😀", engine.eval("\"héllo \\\"q\\\" 😀\""));
        assertEquals("c", engine.eval("'c'"));
        assertEquals(true, engine.eval("1 < 2"));
        assertNull(engine.eval("null"));
        assertEquals(9007199254740993L, engine.eval("9007199254740993L"), "2^53 + 1 keeps its precision");
        assertEquals(Long.MAX_VALUE, engine.eval("Long.MAX_VALUE"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                engine.eval("new java.math.BigInteger(\"123456789012345678901234567890\")"));
        // NaN and infinities travel as the value protocol's tokens (the host codec reads them).
        assertEquals("NaN", valueJson("Double.NaN"));
        assertEquals("-Infinity", valueJson("Double.NEGATIVE_INFINITY"));
        assertEquals("[1.5,Infinity]", valueJson("new double[] {1.5, Double.POSITIVE_INFINITY}"));
        assertEquals(List.of(1L, 2L, 3L), engine.eval("new int[] {1, 2, 3}"));
        assertEquals(List.of("a", 1L), engine.eval("List.of(\"a\", 1)"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "x");
        expected.put("list", List.of(1L, List.of(2.5, true)));
        expected.put("nothing", null);
        assertEquals(expected, engine.eval("""
                var m = new LinkedHashMap<String, Object>();
                m.put("name", "x");
                m.put("list", List.of(1, List.of(2.5, true)));
                m.put("nothing", null);
                m"""));
        // No JSON form: the text JShell shows.
        Object text = engine.eval("new Object() { public String toString() { return \"custom\"; } }");
        assertEquals("custom", text);
    }

    private static String valueJson(String code) throws ScriptException {
        return engine.execute(code, context()).mainResult().orElseThrow().valueJson();
    }

    @Test
    void stdoutArrivesWhileTheEvalStillRuns() throws Exception {
        AtomicBoolean evalFinished = new AtomicBoolean();
        AtomicBoolean finishedWhenPrinted = new AtomicBoolean(true);
        CountDownLatch printed = new CountDownLatch(1);
        StringBuilder seen = new StringBuilder();
        Writer hook = new Writer() {
            @Override
            public synchronized void write(char[] buffer, int offset, int length) {
                seen.append(buffer, offset, length);
                if (seen.indexOf("first line") >= 0 && printed.getCount() > 0) {
                    finishedWhenPrinted.set(evalFinished.get());
                    printed.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        ScriptContext context = context();
        context.setWriter(hook);
        CompletableFuture<Object> eval = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.eval("System.out.println(\"first line\");\nThread.sleep(2000);\n\"done\"", context);
            } catch (ScriptException e) {
                throw new IllegalStateException(e);
            } finally {
                evalFinished.set(true);
            }
        });
        assertTrue(printed.await(30, TimeUnit.SECONDS), "the print never reached the writer");
        assertFalse(finishedWhenPrinted.get(), "the output arrived only after the eval had finished");
        assertEquals("done", eval.get(30, TimeUnit.SECONDS));
    }

    @Test
    void stderrReachesTheErrorWriter() throws ScriptException {
        ScriptContext context = context();
        engine.eval("System.err.println(\"to stderr\"); System.out.println(\"to stdout\");", context);
        assertEquals("to stderr\n", context.getErrorWriter().toString());
        assertEquals("to stdout\n", context.getWriter().toString());
    }

    @Test
    void runtimeExceptionBecomesScriptExceptionWithNameMessageAndLine() {
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("int[] cells = new int[2];\ncells[5] = 1;"));
        assertEquals("java.lang.ArrayIndexOutOfBoundsException", e.error().name());
        assertTrue(e.error().value().contains("Index 5"), e.error().value());
        assertEquals(2, e.getLineNumber());
        assertFalse(e.error().syntax());
        assertTrue(e.getMessage().startsWith("java.lang.ArrayIndexOutOfBoundsException: Index 5"), e.getMessage());
    }

    @Test
    void exceptionInAMethodPointsAtTheLineInTheCell() {
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("""
                int half(int n) {
                    if (n < 0) throw new IllegalArgumentException("negative: " + n);
                    return n / 2;
                }
                half(-4)"""));
        assertEquals("java.lang.IllegalArgumentException", e.error().name());
        assertEquals("negative: -4", e.error().value());
        assertEquals(2, e.getLineNumber());
        assertTrue(e.remoteTraceback().contains("at half(line 2)"), e.remoteTraceback());
    }

    @Test
    void compileErrorIsASyntaxErrorWithItsPosition() {
        AgbScriptException e = assertThrows(AgbScriptException.class,
                () -> engine.eval("int ok = 1;\nint bad = missingName + 1;"));
        assertTrue(e.error().syntax());
        assertEquals("CompilationError", e.error().name());
        assertTrue(e.error().value().contains("cannot find symbol"), e.error().value());
        assertEquals(2, e.getLineNumber());
        assertEquals(11, e.getColumnNumber());
        AgbScriptException unresolved = assertThrows(AgbScriptException.class,
                () -> engine.eval("void later() { notYetDeclared(); }\nlater();"));
        assertTrue(unresolved.error().syntax(), "calling code with an unresolved reference is a compile error");
        assertEquals(2, unresolved.getLineNumber());
    }

    @Test
    void bindingsBecomeTypedVariables() throws ScriptException {
        ScriptContext context = ownContext();
        context.setAttribute("count", 41, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("ratio", 0.5, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("label", "Zoë \"quoted\" \\u0041", ScriptContext.ENGINE_SCOPE);
        context.setAttribute("flag", true, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("nothing", null, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("big", 9007199254740993L, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("notANumber", Double.NaN, ScriptContext.ENGINE_SCOPE);
        context.setAttribute("items", List.of(1, "two", List.of(3.5)), ScriptContext.ENGINE_SCOPE);
        context.setAttribute("table", Map.of("k", Map.of("inner", 2)), ScriptContext.ENGINE_SCOPE);
        assertEquals(42L, engine.eval("count + 1", context));
        assertEquals("long", engine.eval("((Object) count).getClass() == Long.class ? \"long\" : \"other\"", context));
        assertEquals(1.5, engine.eval("ratio * 3", context));
        assertEquals("Zoë \"quoted\" \\u0041", engine.eval("label", context));
        assertEquals(false, engine.eval("!flag", context));
        assertEquals(true, engine.eval("nothing == null", context));
        assertEquals(9007199254740994L, engine.eval("big + 1", context));
        assertEquals(true, engine.eval("Double.isNaN(notANumber)", context));
        assertEquals(List.of(1L, "two", List.of(3.5)), engine.eval("items", context));
        assertEquals(2L, engine.eval("((Map<?, ?>) table.get(\"k\")).get(\"inner\")", context));
    }

    @Test
    void displayOutputsArriveInTheirFields() throws Exception {
        ExecutionResult result = engine.execute("""
                System.out.println("before");
                display.html("<table><tr><td>cell-1</td></tr></table>");
                display.markdown("# Title");
                display.svg("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'><rect width='10' height='10'/></svg>");
                var image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
                var g = image.createGraphics(); g.fillRect(0, 0, 10, 10); g.dispose();
                display.png(image);
                display.json(Map.of("answer", 42));
                display.latex("$x^2$");
                display.mime("text/csv", "a,b");
                display(new java.awt.image.BufferedImage(5, 7, java.awt.image.BufferedImage.TYPE_INT_ARGB));
                System.out.println("after");
                """, context());
        List<MimeBundle> outputs = result.results();
        assertEquals(8, outputs.size(), outputs.toString());
        outputs.forEach(output -> assertFalse(output.isMainResult()));
        assertEquals("<table><tr><td>cell-1</td></tr></table>", outputs.get(0).html());
        assertEquals("# Title", outputs.get(1).markdown());
        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(outputs.get(2).svg())));
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(outputs.get(3).png())));
        assertEquals(64, png.getWidth());
        assertEquals(48, png.getHeight());
        assertEquals(42L, ValueJson.parseMap(outputs.get(4).json()).get("answer"));
        assertEquals("$x^2$", outputs.get(5).latex());
        assertEquals("a,b", outputs.get(6).get("text/csv"));
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(outputs.get(7).png())));
        assertEquals(5, shown.getWidth());
        assertEquals(7, shown.getHeight());
        assertEquals("before\nafter\n", result.logs().stdoutText());
    }

    @Test
    void timeoutInterruptsATightLoopAndKeepsState() throws ScriptException {
        engine.eval("int kept = 5;");
        ScriptContext context = context();
        context.setAttribute(AgbScriptEngine.TIMEOUT, 2, ScriptContext.GLOBAL_SCOPE);
        long started = System.nanoTime();
        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("while (true) {}", context));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(e.isTimeout());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(e.getMessage().contains("keeps its state"), e.getMessage());
        assertTrue(tookMillis < 4000, "took " + tookMillis + " ms");
        assertEquals(6L, engine.eval("kept + 1"));
    }

    @Test
    void interruptStopsASleepingSnippet() throws Exception {
        CompletableFuture<Throwable> eval = CompletableFuture.supplyAsync(() -> {
            try {
                engine.eval("System.out.println(\"sleeping\"); Thread.sleep(60_000);", contextWithLatch());
                return null;
            } catch (ScriptException e) {
                return e;
            }
        });
        assertTrue(sleeping.await(30, TimeUnit.SECONDS));
        assertTrue(engine.interrupt());
        Throwable error = eval.get(10, TimeUnit.SECONDS);
        AgbScriptException stopped = assertInstanceOf(AgbScriptException.class, error);
        assertEquals("Interrupted", stopped.error().name());
        assertEquals(3L, engine.eval("1 + 2"));
    }

    private final CountDownLatch sleeping = new CountDownLatch(1);

    private ScriptContext contextWithLatch() {
        ScriptContext context = context();
        context.setWriter(new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                if (new String(buffer, offset, length).contains("sleeping")) {
                    sleeping.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return context;
    }

    @Test
    void systemExitInASnippetLosesTheStateButNotTheEngine() throws ScriptException {
        try (AgbScriptEngine own = new JavaEngineFactory().getScriptEngine(manager)) {
            own.eval("int lost = 1;");
            AgbScriptException exited = assertThrows(AgbScriptException.class, () -> own.eval("System.exit(3);"));
            assertEquals("AgentExited", exited.error().name());
            assertEquals(2L, own.eval("1 + 1"));
            AgbScriptException gone = assertThrows(AgbScriptException.class, () -> own.eval("lost"));
            assertTrue(gone.error().syntax(), gone.getMessage());
        }
    }

    @Test
    void noKernelProcessIsLeftAfterTheManagerCloses() throws Exception {
        List<ProcessHandle> before = javaKernelProcesses(); // the class's own kernel, if started
        SessionManager own = kernels.newManager();
        AgbScriptEngine local = new JavaEngineFactory().getScriptEngine(own);
        assertEquals(2L, local.eval("1 + 1"));
        List<ProcessHandle> processes = javaKernelProcesses();
        processes.removeAll(before);
        assertFalse(processes.isEmpty(), "no kernel process found while it runs");
        own.close();
        for (ProcessHandle process : processes) {
            process.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(process.isAlive(), process.info().toString());
        }
    }

    /** The kernel and agent JVMs among this JVM's descendants. */
    private static List<ProcessHandle> javaKernelProcesses() {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(process -> {
            String line = process.info().commandLine().orElse("");
            if (line.contains("JShellKernel") || line.contains("JShellAgent")) {
                found.add(process);
            }
        });
        return found;
    }

    @Test
    void dialectStatementsRunInTheKernel() throws ScriptException {
        JavaEngineFactory factory = new JavaEngineFactory();
        String tricky = "quote \" backslash \\ unicode-escape \\u0022 tab\t é ✓ 😀 nul\0 end";
        ScriptContext context = context();
        engine.eval(factory.getOutputStatement(tricky), context);
        assertEquals(tricky + "\n", context.getWriter().toString());

        ScriptContext programContext = context();
        engine.eval(factory.getProgram("int a = 20", "int b = a + 1", "System.out.println(b * 2)"), programContext);
        assertEquals("42\n", programContext.getWriter().toString());

        engine.eval("String word = \"abc\";");
        assertEquals(3L, engine.eval(factory.getMethodCallSyntax("word", "length")));
        assertEquals("b", engine.eval(factory.getMethodCallSyntax("word", "substring", "1", "2")));
    }

    @Test
    void longTextsStillMakeValidLiterals() throws ScriptException {
        String big = "x\u00e9".repeat(30_000);
        ScriptContext context = context();
        context.setAttribute("big", big, ScriptContext.ENGINE_SCOPE);
        assertEquals(60_000L, engine.eval("big.length()", context));
        assertEquals(big, engine.eval("big", context));
    }

}
