package dev.agbscript.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's {@code jrunscript} runs Python through a Jupyter Server given two environment variables, its URL and
 * token (the local backend is on the class path too: the URL alone chooses the gateway); its exit deletes the kernel.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayJrunscriptTest {
    @Test
    void twoEnvironmentVariablesSendJrunscriptThroughTheGateway() throws Exception {
        JupyterServer server = JupyterServerExtension.server();
        Path jrunscript = Path.of(System.getProperty("java.home"), "bin", "jrunscript");
        assertTrue(Files.isExecutable(jrunscript), jrunscript + " is missing");
        ProcessBuilder builder = new ProcessBuilder(jrunscript.toString(), "-cp", System.getProperty("java.class.path"),
                "-l", "agb-python", "-e", "import os\nprint(6*7, os.getcwd())").redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AGB_") || name.startsWith("JUPYTER_GATEWAY"));
        env.put("AGB_GATEWAY_URL", server.url().toString());
        env.put("AGB_GATEWAY_TOKEN", server.token());
        java.util.List<String> before = GatewayFailuresTest.kernelIds(server);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS));
        // The kernel runs in the server's root folder: the gateway's kernel, not a local one.
        assertEquals("42 " + server.root().toRealPath() + "\n", output);
        assertEquals(0, process.exitValue());
        // The JVM's exit deleted its kernel: the server runs no kernel it did not run before.
        java.util.List<String> after = GatewayFailuresTest.kernelIds(server);
        assertTrue(before.containsAll(after), "left on the server: " + after + ", before: " + before);
    }
}
