package dev.agbscript.gateway;

import dev.agbscript.local.KernelSpecInstaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Jupyter Server (python3-jupyter-server, installed by scripts/setup.sh) on a free loopback port with a
 * token, for tests: its kernelspecs are the machine's ({@code python3}, {@code ir}) plus agb-java and agb-javascript
 * written under the build folder (through {@code JUPYTER_PATH}: nothing is installed system-wide), and its config,
 * data and runtime folders are there too.
 */
final class JupyterServer implements AutoCloseable {
    /** The server's {@code python3}: Debian's, which has jupyter_server (a pyenv one first on PATH has not). */
    static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final URI url;
    private final String token;
    private final Path folder;

    /** The folder the server serves, its kernels' working folder. */
    Path root() {
        return folder.resolve("root");
    }

    private JupyterServer(Process process, URI url, String token, Path folder) {
        this.process = process;
        this.url = url;
        this.token = token;
        this.folder = folder;
    }

    /**
     * Starts a server in a new folder under the build folder and waits until it answers.
     *
     * @param nodelay whether to turn Nagle's algorithm off on its WebSockets (docs/gateway.md: it costs 40 ms a reply)
     */
    static JupyterServer start(String label, boolean nodelay) {
        try {
            Path folder = Files.createDirectories(buildFolder().resolve("jupyter-servers")
                    .resolve(label + "-" + UUID.randomUUID().toString().substring(0, 6)));
            Path specs = kernelSpecs();
            Path config = Files.createDirectories(folder.resolve("config"));
            Path root = Files.createDirectories(folder.resolve("root"));
            Files.writeString(config.resolve("jupyter_server_config.py"), config(nodelay));
            String token = UUID.randomUUID().toString();
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "jupyter_server",
                    "--ServerApp.ip=127.0.0.1", "--ServerApp.port=" + port, "--ServerApp.port_retries=0",
                    "--ServerApp.token=" + token, "--ServerApp.open_browser=False",
                    "--ServerApp.root_dir=" + root, "--ServerApp.allow_root=True"));
            // Jupyter Server starts kernels in its own current folder (it passes them no other unless asked).
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("server.log").toFile());
            builder.environment().put("JUPYTER_PATH", specs.toString());
            builder.environment().put("JUPYTER_CONFIG_DIR", config.toString());
            builder.environment().put("JUPYTER_DATA_DIR", Files.createDirectories(folder.resolve("data")).toString());
            builder.environment().put("JUPYTER_RUNTIME_DIR", Files.createDirectories(folder.resolve("runtime")).toString());
            builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
            JupyterServer server = new JupyterServer(builder.start(), URI.create("http://127.0.0.1:" + port + "/"),
                    token, folder);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server's settings: a dead kernel is noticed within 1 s (the default polls every 3 s), and, unless told
     * otherwise, the WebSocket sends each message at once.
     */
    private static String config(boolean nodelay) {
        String restarter = "c.KernelRestarter.time_to_dead = 1.0\n";
        if (!nodelay) {
            return restarter;
        }
        return restarter + String.join("\n",
                "from jupyter_server.services.kernels import handlers as _h",
                "_open = _h.ZMQChannelsHandler.open",
                "def _nodelay_open(self, kernel_id):",
                "    self.set_nodelay(True)  # tornado's WebSocket keeps Nagle's algorithm on: 40 ms a reply",
                "    return _open(self, kernel_id)",
                "_h.ZMQChannelsHandler.open = _nodelay_open",
                "");
    }

    /** The kernelspecs of agb-java and agb-javascript, written once per build under target/. */
    static synchronized Path kernelSpecs() {
        Path path = buildFolder().resolve("jupyter-path");
        if (!Files.isRegularFile(path.resolve("kernels/agb-java/kernel.json"))) {
            KernelSpecInstaller.install(path.resolve("kernels"));
        }
        return path;
    }

    static Path buildFolder() {
        return Path.of(System.getProperty("agb.test.build.dir", "target")).toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls {@code /api/status} until it answers 200: the server is up. */
    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Jupyter Server exited (" + process.exitValue() + "): " + log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url.resolve("api/status"))
                        .header("Authorization", "token " + token).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Jupyter Server did not answer within " + timeout + ": " + log());
    }

    URI url() {
        return url;
    }

    String token() {
        return token;
    }

    Process process() {
        return process;
    }

    String log() {
        try {
            String log = Files.readString(folder.resolve("server.log"), StandardCharsets.UTF_8);
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the server at once, as a crash would; its kernels notice their parent is gone and exit. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server as Ctrl-C does: it shuts its kernels down first. */
    @Override
    public void close() {
        List<ProcessHandle> kernels = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kernels.forEach(ProcessHandle::destroyForcibly);
    }
}
