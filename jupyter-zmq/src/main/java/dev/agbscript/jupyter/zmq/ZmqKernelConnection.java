package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.MessageHandler;
import java.util.UUID;

/** A connection to a kernel's ZeroMQ ports, as its connection file names them, with a working heartbeat. */
public final class ZmqKernelConnection implements KernelConnection {
    private final String clientSessionId = UUID.randomUUID().toString();
    private final SocketLoop sockets;

    /** @param name names the I/O thread, for thread dumps */
    public ZmqKernelConnection(ConnectionInfo info, String name, MessageHandler handler) {
        this.sockets = SocketLoop.client(info, clientSessionId, name, handler);
    }

    @Override
    public String clientSessionId() {
        return clientSessionId;
    }

    @Override
    public void send(Channel channel, JupyterMessage message) {
        sockets.send(channel, message);
    }

    /** When ({@link System#nanoTime()}) the kernel last answered a heartbeat; 0 while it never has. */
    public long lastHeartbeatNanos() {
        return sockets.lastHeartbeatNanos();
    }

    @Override
    public void close() {
        sockets.close();
    }
}
