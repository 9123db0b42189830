package dev.agbscript.jupyter.zmq;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.JupyterMessage;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The contents of a Jupyter connection file: where the kernel listens and the key that signs messages.
 * Ports are picked free on loopback just before the kernel starts, as jupyter_client does, but below the
 * range the system takes local ports of outgoing connections from: a client connects before the kernel binds
 * and retries until it does, and each try could otherwise be given one of the kernel's ports as its own
 * ("Address already in use", a start lost to its timeout). A kernel that still loses a port to another
 * process fails to start and is started again with new ports.
 */
public record ConnectionInfo(String ip, int shellPort, int iopubPort, int stdinPort, int controlPort, int hbPort,
                      String key) {
    public static final String SIGNATURE_SCHEME = "hmac-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Well above the ports of common services. */
    private static final int LOWEST_PORT = 20000;

    public static ConnectionInfo allocate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        int[] ports = freePorts(5);
        return new ConnectionInfo("127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                HexFormat.of().formatHex(key));
    }

    public String endpoint(int port) {
        return "tcp://" + ip + ":" + port;
    }

    /** Reads a connection file, as a kernel does at start; only the tcp transport is supported. */
    public static ConnectionInfo read(Path file) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        String transport = json.has("transport") ? json.get("transport").getAsString() : "tcp";
        if (!"tcp".equals(transport)) {
            throw new IllegalArgumentException("Only the tcp transport is supported, not " + transport);
        }
        return new ConnectionInfo(json.get("ip").getAsString(), json.get("shell_port").getAsInt(),
                json.get("iopub_port").getAsInt(), json.get("stdin_port").getAsInt(),
                json.get("control_port").getAsInt(), json.get("hb_port").getAsInt(), json.get("key").getAsString());
    }

    /** Writes the connection file for a kernel to read, readable by this user only (it holds the key). */
    public void write(Path file) throws IOException {
        Files.writeString(file, JupyterMessage.gson().toJson(toJson()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("transport", "tcp");
        json.addProperty("ip", ip);
        json.addProperty("shell_port", shellPort);
        json.addProperty("iopub_port", iopubPort);
        json.addProperty("stdin_port", stdinPort);
        json.addProperty("control_port", controlPort);
        json.addProperty("hb_port", hbPort);
        json.addProperty("key", key);
        json.addProperty("signature_scheme", SIGNATURE_SCHEME);
        json.addProperty("kernel_name", "agb");
        return json;
    }

    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            // Hold all of them open together so the five ports differ.
            for (int i = 0; i < count; i++) {
                sockets[i] = freePort();
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we own does not fail in practice
                    }
                }
            }
        }
    }

    /** A socket listening on a free loopback port below the ephemeral range, else on any free port. */
    private static ServerSocket freePort() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; attempt < 50 && below > LOWEST_PORT; attempt++) {
            int port = LOWEST_PORT + RANDOM.nextInt(below - LOWEST_PORT);
            try {
                return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                // try another one
            }
        }
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port for a kernel", e);
        }
    }

    /** Where Linux's ephemeral ports start (32768 by default); 0 where it cannot be read. */
    private static int ephemeralRangeStart() {
        try {
            // One line, "32768\t60999"; procfs gives no size, so it is read as lines.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
