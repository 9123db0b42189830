package dev.agbscript.cloud;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * A WebSocket peer that accepts the handshake and then never answers anything, not even pings: a
 * half-open connection, which only the heartbeat can detect. (MockWebServer always answers pings.)
 */
final class SilentWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final CountDownLatch frameReceived = new CountDownLatch(1);
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
            InputStream raw = client.getInputStream();
            if (raw.read() >= 0) { // the first byte of the client's run frame; everything after is ignored
                frameReceived.countDown();
            }
            while (raw.read() >= 0) {
                // read and drop: no pongs, no answers
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
