package dev.agbscript.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What goes wrong between the engine and a real Jupyter Server, each answered with its own error: a wrong or
 * missing token, a kernelspec the server lacks, a kernel that dies (at start, and while it runs), and a server that
 * goes away while code runs.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayFailuresTest {
    private final List<SessionManager> managers = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        managers.forEach(SessionManager::close);
        background.shutdownNow();
    }

    private static GatewayConfig config(JupyterServer server) {
        return new GatewayConfig(server.url(), java.util.Optional.of(server.token()), java.util.Map.of(),
                java.util.Map.of(), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10), true);
    }

    private AgbScriptEngine python(GatewayConfig config) {
        SessionManager manager = SessionManager.create(new GatewayBackend(config));
        managers.add(manager);
        return new PythonEngineFactory().getScriptEngine(manager);
    }

    @Test
    void aWrongTokenNamesTheSettingAndTheServersAnswer() {
        JupyterServer server = JupyterServerExtension.server();
        ScriptException wrong = assertThrows(ScriptException.class,
                () -> python(config(server).withToken("not-the-token")).eval("1+1"));
        assertFalse(wrong instanceof AgbScriptException, "a refused token is no error of the code");
        assertTrue(wrong.getMessage().contains("refused GET /api/kernelspecs (HTTP 403)"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("its token is not the one in AGB_GATEWAY_TOKEN"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("not-the-token"), "the token leaked: " + wrong.getMessage());

        ScriptException none = assertThrows(ScriptException.class,
                () -> python(config(server).withToken(null)).eval("1+1"));
        assertTrue(none.getMessage().contains("it needs a token; set AGB_GATEWAY_TOKEN"), none.getMessage());
    }

    @Test
    void aKernelspecTheServerLacksIsNamedWithTheOnesItHas() {
        JupyterServer server = JupyterServerExtension.server();
        ScriptException e = assertThrows(ScriptException.class,
                () -> python(config(server).withKernelName(Language.PYTHON, "python-nine")).eval("1+1"));
        assertTrue(e.getMessage().contains("has no kernelspec 'python-nine' for Python (it has: agb-java, "
                + "agb-javascript,"), e.getMessage());
        assertTrue(e.getMessage().contains("AGB_GATEWAY_KERNELS=python=NAME"), e.getMessage());
    }

    @Test
    void aKernelThatDiesAtStartFailsTheStartOnceTheServerGivesUp() throws Exception {
        JupyterServer server = JupyterServerExtension.server();
        Path spec = JupyterServer.kernelSpecs().resolve("kernels/agb-test-exits");
        Files.createDirectories(spec);
        Files.writeString(spec.resolve("kernel.json"), "{\"argv\": [\"/bin/sh\", \"-c\", \"exit 3\", \"sh\", "
                + "\"{connection_file}\"], \"display_name\": \"exits at once\", \"language\": \"python\"}");
        long start = System.nanoTime();
        ScriptException e = assertThrows(ScriptException.class,
                () -> python(config(server).withKernelName(Language.PYTHON, "agb-test-exits")).eval("1+1"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("The Python kernel (kernelspec 'agb-test-exits'"), e.getMessage());
        assertTrue(e.getMessage().contains("is gone from the gateway"), e.getMessage());
        // Not the 60 s the server holds the WebSocket of a kernel that never answers.
        assertTrue(took.compareTo(Duration.ofSeconds(45)) < 0, "took " + took);
    }

    @Test
    void aKernelThatDiesWhileRunningIsDeletedAndTheNextEvalGetsANewOne() throws Exception {
        JupyterServer server = JupyterServerExtension.server();
        GatewayBackend backend = new GatewayBackend(config(server));
        try (GatewaySandbox sandbox = (GatewaySandbox) backend.createSandbox()) {
            sandbox.execute(dev.agbscript.session.ExecutionRequest.of(Language.PYTHON, "x = 1"), ExecutionListener.NONE);
            String first = sandbox.kernelIds().get(Language.PYTHON);
            var died = sandbox.execute(dev.agbscript.session.ExecutionRequest.of(Language.PYTHON,
                    "import os\nos._exit(3)"), ExecutionListener.NONE);
            ExecutionError error = died.error().orElseThrow();
            assertEquals(ExecutionError.Kind.KERNEL_DIED, error.kind(), error.toString());
            assertTrue(error.value().contains("the gateway saw it die and restarted it"), error.value());
            assertFalse(kernelIds(server).contains(first), "the dead kernel was left on the server");
            var next = sandbox.execute(dev.agbscript.session.ExecutionRequest.of(Language.PYTHON, "'x' in dir()"),
                    ExecutionListener.NONE);
            assertEquals("False", next.mainResult().orElseThrow().text());
            assertNotEquals(first, sandbox.kernelIds().get(Language.PYTHON));
        } finally {
            backend.close();
        }
    }

    @Test
    void aServerThatGoesAwayMidRunEndsTheRunAndTheNextEvalSaysItCannotBeReached() throws Exception {
        try (JupyterServer server = JupyterServer.start("gone", true)) {
            AgbScriptEngine engine = python(config(server).withReconnectFor(Duration.ofSeconds(2)));
            engine.eval("1");
            CountDownLatch started = new CountDownLatch(1);
            ScriptContext context = new SimpleScriptContext();
            context.setWriter(new java.io.Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    if (new String(buffer, offset, length).contains("started")) {
                        started.countDown();
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            });
            context.setErrorWriter(new StringWriter());
            Future<Object> run = background.submit(() -> engine.eval(
                    "import time\nprint('started', flush=True)\ntime.sleep(60)", context));
            assertTrue(started.await(30, TimeUnit.SECONDS));
            server.kill();
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> run.get(30, TimeUnit.SECONDS));
            AgbScriptException e = assertInstanceOf(AgbScriptException.class, failed.getCause());
            assertEquals(ExecutionError.Kind.KERNEL_DIED, e.error().kind(), e.getMessage());
            assertTrue(e.getMessage().contains("lost its connection to the gateway at " + server.url()), e.getMessage());
            assertTrue(e.getMessage().contains("could not reconnect within 2 s"), e.getMessage());

            ScriptException next = assertThrows(ScriptException.class, () -> engine.eval("1+1"));
            assertFalse(next instanceof AgbScriptException, next.getMessage());
            assertTrue(next.getMessage().contains("Cannot reach the gateway at " + server.url()), next.getMessage());
        }
    }

    /** The ids of the kernels the server runs now. */
    static List<String> kernelIds(JupyterServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.url().resolve("api/kernels")).header("Authorization", "token " + server.token()).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        com.google.gson.JsonParser.parseString(response.body()).getAsJsonArray()
                .forEach(kernel -> ids.add(kernel.getAsJsonObject().get("id").getAsString()));
        return ids;
    }

}
