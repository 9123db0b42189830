package dev.agbscript.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting a kernel that the gateway is restarting, against an HTTP server on loopback that answers as Jupyter
 * Server 1.x on jupyter_client 7 does during a restart: HTTP 500 until the restart is done. (GatewayFailuresTest
 * meets the same answer from a real server only when its DELETE lands inside the restart.)
 */
class GatewayDeleteTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** How many DELETEs fail before one succeeds. */
    private final AtomicInteger failures = new AtomicInteger();

    @BeforeEach
    void gateway() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/kernels/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            if (failures.getAndDecrement() > 0) {
                byte[] body = "{\"message\": \"Unhandled error\", \"reason\": null}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRestartingKernelIsDeletedOnceTheGatewayTakesTheRequest() {
        failures.set(3);
        api(Duration.ofSeconds(30)).deleteRestarting("k-1");
        assertEquals(List.of("DELETE /api/kernels/k-1", "DELETE /api/kernels/k-1", "DELETE /api/kernels/k-1",
                "DELETE /api/kernels/k-1"), requests);
    }

    @Test
    void aGatewayThatKeepsFailingFailsTheDeleteAfterTheStartTimeout() {
        failures.set(Integer.MAX_VALUE);
        long start = System.nanoTime();
        GatewayException e = assertThrows(GatewayException.class, () -> api(Duration.ofSeconds(1))
                .deleteRestarting("k-1"));
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("failed DELETE /api/kernels/k-1 (HTTP 500): Unhandled error"),
                e.getMessage());
        assertTrue(requests.size() > 2, "tried again: " + requests);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                "bounded by the start timeout");
    }

    @Test
    void aKernelThatIsNotRestartingIsAskedOnce() {
        failures.set(1);
        GatewayException e = assertThrows(GatewayException.class, () -> api(Duration.ofSeconds(30)).delete("k-1"));
        assertEquals(500, e.status());
        assertEquals(List.of("DELETE /api/kernels/k-1"), requests);
    }

    private GatewayApi api(Duration startTimeout) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new GatewayApi(new GatewayConfig(url, Optional.empty(), Map.of(), Map.of(), startTimeout,
                Duration.ofSeconds(5), Duration.ofSeconds(1), false), HttpClient.newHttpClient());
    }
}
