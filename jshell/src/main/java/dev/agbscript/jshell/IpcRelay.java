package dev.agbscript.jshell;

import dev.agbscript.jupyter.zmq.ConnectionInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the {@code ipc} ports of a connection file for a kernel whose ZeroMQ (JeroMQ) binds TCP only: each
 * Unix socket {@code <ip>-<port>} is relayed, byte for byte, to the same port's TCP socket on this machine's
 * loopback. In a sandbox without network that loopback is the sandbox's own, which nobody else reaches.
 */
final class IpcRelay {
    private static final Logger LOG = Logger.getLogger(IpcRelay.class.getName());

    private IpcRelay() {}

    /** Relays each Unix port of {@code ipc} to the same port of {@code tcp}; returns once all listen. */
    static void start(ConnectionInfo ipc, ConnectionInfo tcp) throws IOException {
        listen(ipc, ipc.shellPort(), tcp.shellPort());
        listen(ipc, ipc.iopubPort(), tcp.iopubPort());
        listen(ipc, ipc.stdinPort(), tcp.stdinPort());
        listen(ipc, ipc.controlPort(), tcp.controlPort());
        listen(ipc, ipc.hbPort(), tcp.hbPort());
    }

    private static void listen(ConnectionInfo ipc, int ipcPort, int tcpPort) throws IOException {
        Path path = Path.of(ipc.ip() + "-" + ipcPort);
        Files.deleteIfExists(path); // a socket file left by an earlier kernel
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        daemon("agb-jshell-relay-" + ipcPort, () -> {
            while (true) {
                SocketChannel client = server.accept();
                SocketChannel kernel = SocketChannel.open(new InetSocketAddress("127.0.0.1", tcpPort));
                kernel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                daemon("agb-jshell-relay-" + ipcPort + "-in", () -> pump(client, kernel));
                daemon("agb-jshell-relay-" + ipcPort + "-out", () -> pump(kernel, client));
            }
        });
    }

    /** Copies until either end closes, then closes both (the other pump then ends too). */
    private static void pump(SocketChannel from, SocketChannel to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try (from; to) {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private static void daemon(String name, Work work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (IOException e) {
                LOG.log(Level.FINE, name + " ended", e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
