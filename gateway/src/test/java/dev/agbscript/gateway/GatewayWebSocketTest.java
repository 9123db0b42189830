package dev.agbscript.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channels WebSocket against the real server: both message forms, and a socket that drops while code runs (the
 * run ends with its output and a notice of the drop on stderr).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayWebSocketTest {
    private static GatewayConfig config(boolean binary) {
        JupyterServer server = JupyterServerExtension.server();
        return new GatewayConfig(server.url(), Optional.of(server.token()), Map.of(), Map.of(), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(10), binary);
    }

    @Test
    void theBinaryV1SubprotocolIsChosenWhenOfferedAndJsonWorksToo() throws Exception {
        for (boolean binary : new boolean[] {true, false}) {
            GatewayBackend backend = new GatewayBackend(config(binary));
            try (GatewaySandbox sandbox = (GatewaySandbox) backend.createSandbox()) {
                ExecutionResult result = sandbox.execute(ExecutionRequest.of(Language.PYTHON,
                        "print('out')\n{'n': 2**64, 'x': float('nan'), 's': 'h\u00e9 \"q\" \\u2603'}"),
                        ExecutionListener.NONE);
                assertEquals("out\n", result.logs().stdout().stream().reduce("", String::concat));
                assertEquals("", result.logs().stderrText(), "no drop, no notice");
                Map<String, Object> value = dev.agbscript.session.ValueJson.parseMap(
                        result.mainResult().orElseThrow().valueJson());
                assertEquals(java.math.BigInteger.TWO.pow(64), value.get("n"));
                assertTrue(((Double) value.get("x")).isNaN());
                assertEquals("h\u00e9 \"q\" \u2603", value.get("s"));
                ExecutionError error = sandbox.execute(ExecutionRequest.of(Language.PYTHON, "1/0"),
                        ExecutionListener.NONE).error().orElseThrow();
                assertEquals("ZeroDivisionError", error.name());
                assertEquals(binary ? ChannelsCodec.V1 : "json",
                        sandbox.kernelOf(Language.PYTHON).flatMap(GatewayKernel::connection).orElseThrow().protocol());
            } finally {
                backend.close();
            }
        }
    }

    @Test
    void aDroppedSocketComesBackAndTheRunInFlightEndsWithItsOutputAndANoticeOfTheDrop() throws Exception {
        GatewayBackend backend = new GatewayBackend(config(true));
        try (GatewaySandbox sandbox = (GatewaySandbox) backend.createSandbox()) {
            sandbox.execute(ExecutionRequest.of(Language.PYTHON, "import time"), ExecutionListener.NONE);
            WebSocketKernelConnection socket = sandbox.kernelOf(Language.PYTHON)
                    .flatMap(GatewayKernel::connection).orElseThrow();
            // The drop comes once the first line arrived whole, while the kernel sleeps: what the server writes
            // into a connection before it sees the drop is lost with it (docs/gateway.md), what it writes after
            // is buffered and replayed, which is what this test is about.
            CountDownLatch first = new CountDownLatch(1);
            StringBuilder seen = new StringBuilder();
            ExecutionListener listener = new ExecutionListener() {
                @Override
                public void onStdout(String text) {
                    seen.append(text);
                    if (seen.toString().equals("before\n")) {
                        first.countDown();
                    }
                }
            };
            CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return sandbox.execute(ExecutionRequest.of(Language.PYTHON,
                            "print('before', flush=True)\ntime.sleep(1.5)\nprint('after')\n'done'"), listener);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(first.await(30, TimeUnit.SECONDS));
            socket.dropForTest();
            ExecutionResult result = run.get(30, TimeUnit.SECONDS);
            assertTrue(result.success(), result.toString());
            assertEquals("before\nafter\n", String.join("", result.logs().stdout()));
            assertEquals("[agb] The connection to the kernel dropped during this run and came back: output the kernel"
                    + " sent at the instant of the drop may be missing above\n", result.logs().stderrText());
            assertEquals("done", dev.agbscript.session.ValueJson.parse(result.mainResult().orElseThrow().valueJson()));
            assertEquals(1, socket.reconnects());
        } finally {
            backend.close();
        }
    }
}
