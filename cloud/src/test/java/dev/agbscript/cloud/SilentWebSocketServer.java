package dev.agbscript.cloud;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A WebSocket peer that accepts the handshake and then never answers anything, not even pings: a
 * half-open connection, which only the heartbeat can detect. (MockWebServer always answers pings.)
 */
final class SilentWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final CountDownLatch frameReceived = new CountDownLatch(1);
    /** Counted down when the client sends a WebSocket protocol ping (opcode 9). */
    final CountDownLatch pingReceived = new CountDownLatch(1);
    /** The payloads of the client's text frames, in order. */
    final List<String> textFrames = new CopyOnWriteArrayList<>();
    private volatile Socket client;

    SilentWebSocketServer() throws IOException {
        Thread acceptor = new Thread(this::serve, "silent-ws");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/ws";
    }

    private void serve() {
        try {
            client = server.accept();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            String key = null;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            DataInputStream frames = new DataInputStream(client.getInputStream());
            while (true) { // read every frame; answer none, not even pings
                int first = frames.read();
                if (first < 0) {
                    break;
                }
                int second = frames.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = frames.readUnsignedShort();
                } else if (length == 127) {
                    length = frames.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    frames.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                frames.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = first & 0x0F;
                if (opcode == 1) {
                    textFrames.add(new String(payload, StandardCharsets.UTF_8));
                } else if (opcode == 9) {
                    pingReceived.countDown();
                }
                frameReceived.countDown();
            }
        } catch (Exception e) {
            // closed by the test
        }
    }

    @Override
    public void close() throws IOException {
        Socket c = client;
        if (c != null) {
            c.close();
        }
        server.close();
    }
}
