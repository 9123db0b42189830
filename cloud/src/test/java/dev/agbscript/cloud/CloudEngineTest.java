package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agb-python engine through the cloud backend, pointed at the loopback service. */
class CloudEngineTest {
    private FakeAgbService fake;
    private SessionManager manager;
    private AgbScriptEngine engine;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeAgbService();
        manager = SessionManager.create(new CloudBackend(fake.config().build()));
        engine = new PythonEngineFactory().getScriptEngine(manager);
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
        fake.close();
    }

    @Test
    void evalReturnsATypedValue() throws Exception {
        fake.onRun = args -> args.get("code").getAsString().equals("{'a': [1, 2], 'b': 'x'}")
                ? FakeAgbService.newFormat(List.of(FakeAgbService.valueBundle("{'a': [1, 2], 'b': 'x'}",
                        "{\"a\": [1, 2], \"b\": \"x\"}")), List.of(), List.of(), null)
                : FakeAgbService.newFormat(List.of(), List.of(), List.of(), null);

        Object value = engine.eval("{'a': [1, 2], 'b': 'x'}");

        assertEquals(Map.of("a", List.of(1L, 2L), "b", "x"), value);
        assertEquals(1, fake.userRuns().size());
    }

    @Test
    void bindingsTravelAndTextComesBackWithoutTheValueProtocol() throws Exception {
        fake.onRun = args -> FakeAgbService.newFormat(List.of("{\"text/plain\":\"<object>\",\"isMainResult\":true}"),
                List.of(), List.of(), null);
        engine.put("n", 41);

        Object value = engine.eval("obj");

        assertEquals("<object>", value);
        List<String> codes = fake.userRuns().stream().map(a -> a.get("code").getAsString()).toList();
        assertTrue(codes.get(0).startsWith("_agb_bind(") && codes.get(0).contains("41"), codes.toString());
        assertEquals("obj", codes.get(1));
    }

    @Test
    void stdoutReachesTheWriterWhileAStreamedRunIsGoing() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        CountDownLatch written = new CountDownLatch(1);
        AtomicBoolean writtenBeforeEnd = new AtomicBoolean();
        StringWriter collected = new StringWriter();
        Writer out = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                collected.write(buffer, offset, length);
                if (collected.toString().contains("working")) {
                    written.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        fake.onStream = (socket, id, args) -> {
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.chunk("stdout", "working\n")));
            writtenBeforeEnd.set(written.await(5, TimeUnit.SECONDS));
            socket.send(FakeAgbService.streamFrame(id, FakeAgbService.end(null)));
        };
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE); // not a scope of its own
        context.setWriter(out);

        Object value = engine.eval("print('working')", context);

        assertEquals(null, value);
        assertTrue(writtenBeforeEnd.get(), "the writer had the output before the run ended");
        assertEquals("working\n", collected.toString());
    }

    @Test
    void anExecutionErrorIsAScriptException() {
        fake.onRun = args -> FakeAgbService.newFormat(List.of(), List.of("partial\n"), List.of(),
                "ZeroDivisionError: division by zero");

        AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("print('partial'); 1/0"));

        assertEquals("ZeroDivisionError", e.error().name());
        assertTrue(e.getMessage().contains("ZeroDivisionError: division by zero"), e.getMessage());
        assertEquals("partial\n", e.result().logs().stdoutText());
    }

    @Test
    void aTimeoutIsAScriptExceptionCarryingTheTimeout() throws Exception {
        fake.routes = FakeAgbService.Routes.STREAM;
        CountDownLatch release = new CountDownLatch(1);
        fake.onStream = (socket, id, args) -> release.await(10, TimeUnit.SECONDS); // never ends in time
        ScriptContext context = new SimpleScriptContext();
        context.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE); // not a scope of its own
        context.setBindings(new javax.script.SimpleBindings(), ScriptContext.GLOBAL_SCOPE);
        context.setAttribute(AgbScriptEngine.TIMEOUT, 0.5, ScriptContext.GLOBAL_SCOPE);
        try {
            AgbScriptException e = assertThrows(AgbScriptException.class, () -> engine.eval("while True: pass", context));
            assertEquals(ExecutionError.TIMEOUT, e.error().name());
            assertEquals(1, fake.userRuns().get(0).get("timeoutS").getAsInt());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServiceFailureIsAScriptExceptionNamingTheRequest() {
        fake.onRun = args -> "";

        ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("1"));

        assertTrue(e.getCause() instanceof AgbProtocolException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().contains("request id: req-"), e.getMessage());
    }
}
