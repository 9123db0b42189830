package dev.agbscript.jshell;

import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.Frames;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.WireCodec;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The kernel's ZeroMQ sockets, bound as the connection file says: shell and control (ROUTER), iopub (PUB),
 * stdin (ROUTER, unused) and heartbeat (echoed at once). ZeroMQ sockets are not thread-safe, so one I/O
 * thread owns them: any thread may {@link #send}, which queues the message and wakes that thread; incoming
 * shell and control messages go to the handler on the I/O thread, which must not block.
 */
final class KernelSockets implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelSockets.class.getName());

    enum Channel { SHELL, CONTROL, IOPUB }

    private record Outgoing(Channel channel, List<byte[]> frames) {}

    private final ConnectionInfo info;
    private final WireCodec codec;
    private final BiConsumer<Channel, JupyterMessage> handler;
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final ZContext context = new ZContext();
    private final String wakeAddress = "inproc://agb-kernel-wake-" + UUID.randomUUID();
    private final CountDownLatch bound = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread ioThread;
    private ZMQ.Socket waker;
    private RuntimeException bindFailure;
    private volatile boolean closing;

    KernelSockets(ConnectionInfo info, BiConsumer<Channel, JupyterMessage> handler) {
        this.info = info;
        this.codec = new WireCodec(info.key());
        this.handler = handler;
        this.ioThread = new Thread(this::run, "agb-jshell-kernel-io");
        ioThread.start();
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (bindFailure != null) {
            throw bindFailure;
        }
    }

    /** Queues a message; the I/O thread sends it in queue order. */
    void send(Channel channel, JupyterMessage message) {
        outbox.add(new Outgoing(channel, codec.encode(message)));
        wake();
    }

    private synchronized void wake() {
        if (waker != null) {
            waker.send(new byte[0], ZMQ.DONTWAIT);
        }
    }

    private String endpoint(int port) {
        return info.endpoint(port);
    }

    private void run() {
        ZMQ.Socket shell = context.createSocket(SocketType.ROUTER);
        ZMQ.Socket control = context.createSocket(SocketType.ROUTER);
        ZMQ.Socket iopub = context.createSocket(SocketType.PUB);
        ZMQ.Socket stdin = context.createSocket(SocketType.ROUTER);
        ZMQ.Socket heartbeat = context.createSocket(SocketType.REP);
        ZMQ.Socket wakeReceiver = context.createSocket(SocketType.PAIR);
        try {
            for (ZMQ.Socket socket : new ZMQ.Socket[] {shell, control, iopub, stdin, heartbeat, wakeReceiver}) {
                socket.setLinger(1000);
            }
            shell.bind(endpoint(info.shellPort()));
            control.bind(endpoint(info.controlPort()));
            iopub.bind(endpoint(info.iopubPort()));
            stdin.bind(endpoint(info.stdinPort()));
            heartbeat.bind(endpoint(info.hbPort()));
            wakeReceiver.bind(wakeAddress);
            synchronized (this) {
                waker = context.createSocket(SocketType.PAIR);
                waker.connect(wakeAddress);
            }
        } catch (RuntimeException e) {
            bindFailure = e;
            context.close();
            finished.countDown();
            return;
        } finally {
            bound.countDown();
        }
        ZMQ.Poller poller = context.createPoller(4);
        int shellIndex = poller.register(shell, ZMQ.Poller.POLLIN);
        int controlIndex = poller.register(control, ZMQ.Poller.POLLIN);
        int heartbeatIndex = poller.register(heartbeat, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        try {
            while (true) {
                poller.poll(1000);
                if (poller.pollin(wakeIndex)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drained; the queue holds the messages
                    }
                }
                Outgoing out;
                while ((out = outbox.poll()) != null) {
                    ZMQ.Socket target = switch (out.channel()) {
                        case SHELL -> shell;
                        case CONTROL -> control;
                        case IOPUB -> iopub;
                    };
                    Frames.send(target, out.frames());
                }
                if (closing && outbox.isEmpty()) {
                    break;
                }
                if (poller.pollin(heartbeatIndex)) {
                    List<byte[]> ping = Frames.receive(heartbeat, ZMQ.DONTWAIT);
                    if (ping != null) {
                        Frames.send(heartbeat, ping);
                    }
                }
                if (poller.pollin(controlIndex)) {
                    drain(control, Channel.CONTROL);
                }
                if (poller.pollin(shellIndex)) {
                    drain(shell, Channel.SHELL);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Kernel I/O thread failed", e);
        } finally {
            poller.close();
            synchronized (this) {
                waker = null;
                context.close();
            }
            finished.countDown();
        }
    }

    private void drain(ZMQ.Socket socket, Channel channel) {
        List<byte[]> frames;
        while ((frames = Frames.receive(socket, ZMQ.DONTWAIT)) != null) {
            JupyterMessage message;
            try {
                message = codec.decode(frames);
            } catch (IllegalArgumentException e) {
                LOG.warning("Dropped a message on " + channel + ": " + e.getMessage());
                continue;
            }
            try {
                handler.accept(channel, message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handling " + message + " failed", e);
            }
        }
    }



    /** Sends what is queued, then closes the sockets (waiting up to a second). */
    @Override
    public void close() {
        closing = true;
        wake();
        try {
            finished.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
