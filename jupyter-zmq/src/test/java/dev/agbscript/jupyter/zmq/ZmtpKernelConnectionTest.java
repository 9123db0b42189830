package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.MessageHandler;

/**
 * The same conversations with our own ZMTP client against JeroMQ's kernel end (over TCP: JeroMQ has no Unix
 * sockets; the embedded sandbox's tests drive it over Unix sockets against the real kernels).
 */
class ZmtpKernelConnectionTest extends SocketLoopTest {
    @Override
    KernelConnection connect(ConnectionInfo info, MessageHandler handler) {
        return new ZmtpKernelConnection(info.key(), ZmtpKernelConnection.Endpoints.tcp(info), "test", handler);
    }

    @Override
    long lastHeartbeatNanos(KernelConnection connection) {
        return ((ZmtpKernelConnection) connection).lastHeartbeatNanos();
    }
}
