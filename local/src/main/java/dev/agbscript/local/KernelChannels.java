package dev.agbscript.local;

import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.Frames;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.WireCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZeroMQ side of a kernel connection: shell and control (DEALER), iopub (SUB) and heartbeat (REQ).
 * ZeroMQ sockets are not thread-safe, so one I/O thread owns them all: callers queue outgoing messages
 * and wake the thread through an inproc pair; every incoming message goes to the {@link Handler} on the
 * I/O thread.
 */
final class KernelChannels implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelChannels.class.getName());
    private static final long HEARTBEAT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum Channel { SHELL, CONTROL, IOPUB }

    interface Handler {
        void onMessage(Channel channel, JupyterMessage message);
    }

    private record Outgoing(Channel channel, List<byte[]> frames) {}

    private final ConnectionInfo info;
    private final WireCodec codec;
    private final Handler handler;
    private final String session = UUID.randomUUID().toString();
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread ioThread;
    private final String wakeAddress = "inproc://agb-wake-" + UUID.randomUUID();
    private final ZContext context = new ZContext();
    private ZMQ.Socket waker;
    private volatile boolean closed;
    private volatile long lastHeartbeatNanos = System.nanoTime();

    KernelChannels(ConnectionInfo info, String name, Handler handler) {
        this.info = info;
        this.codec = new WireCodec(info.key());
        this.handler = handler;
        // JeroMQ's own threads print stack traces by default; while closing, a closed channel is expected.
        Thread.UncaughtExceptionHandler toLog = (thread, e) -> LOG.log(closed ? Level.FINE : Level.WARNING,
                "ZeroMQ thread " + thread.getName() + " failed", e);
        context.setUncaughtExceptionHandler(toLog);
        context.setNotificationExceptionHandler(toLog);
        this.ioThread = new Thread(this::run, "agb-kernel-io-" + name);
        this.ioThread.setDaemon(true);
        this.ioThread.start();
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Jupyter session id of this client, for message headers. */
    String session() {
        return session;
    }

    /** Queues the message; the I/O thread sends it at once. */
    void send(Channel channel, JupyterMessage message) {
        if (closed) {
            throw new IllegalStateException("Kernel connection closed");
        }
        outbox.add(new Outgoing(channel, codec.encode(message)));
        synchronized (this) {
            if (waker != null) {
                waker.send(new byte[0], ZMQ.DONTWAIT);
            }
        }
    }

    /** Nanoseconds since the kernel last answered a heartbeat. */
    long sinceHeartbeatNanos() {
        return System.nanoTime() - lastHeartbeatNanos;
    }

    private void run() {
        ZMQ.Socket shell = context.createSocket(SocketType.DEALER);
        ZMQ.Socket control = context.createSocket(SocketType.DEALER);
        ZMQ.Socket iopub = context.createSocket(SocketType.SUB);
        ZMQ.Socket heartbeat = context.createSocket(SocketType.REQ);
        ZMQ.Socket wakeReceiver = context.createSocket(SocketType.PAIR);
        try {
            byte[] identity = session.getBytes(StandardCharsets.US_ASCII);
            for (ZMQ.Socket socket : new ZMQ.Socket[] {shell, control, iopub, heartbeat, wakeReceiver}) {
                socket.setLinger(0);
            }
            shell.setIdentity(identity);
            control.setIdentity(identity);
            heartbeat.setReqRelaxed(true);
            heartbeat.setReqCorrelate(true);
            iopub.subscribe(ZMQ.SUBSCRIPTION_ALL);
            shell.connect(info.endpoint(info.shellPort()));
            control.connect(info.endpoint(info.controlPort()));
            iopub.connect(info.endpoint(info.iopubPort()));
            heartbeat.connect(info.endpoint(info.hbPort()));
            wakeReceiver.bind(wakeAddress);
            synchronized (this) {
                waker = context.createSocket(SocketType.PAIR);
                waker.setLinger(0);
                waker.connect(wakeAddress);
            }
        } finally {
            ready.countDown();
        }

        ZMQ.Poller poller = context.createPoller(5);
        int shellIndex = poller.register(shell, ZMQ.Poller.POLLIN);
        int controlIndex = poller.register(control, ZMQ.Poller.POLLIN);
        int iopubIndex = poller.register(iopub, ZMQ.Poller.POLLIN);
        int heartbeatIndex = poller.register(heartbeat, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        long nextPing = System.nanoTime();
        try {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (now - nextPing >= 0) {
                    heartbeat.send("ping".getBytes(StandardCharsets.US_ASCII), ZMQ.DONTWAIT);
                    nextPing = now + HEARTBEAT_INTERVAL_NANOS;
                }
                poller.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPing - now)));
                if (poller.pollin(wakeIndex)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drained; the queue holds the messages
                    }
                }
                Outgoing out;
                while ((out = outbox.poll()) != null) {
                    Frames.send(out.channel() == Channel.CONTROL ? control : shell, out.frames());
                }
                if (poller.pollin(heartbeatIndex)) {
                    Frames.receive(heartbeat, ZMQ.DONTWAIT);
                    lastHeartbeatNanos = System.nanoTime();
                }
                if (poller.pollin(iopubIndex)) {
                    drain(iopub, Channel.IOPUB);
                }
                if (poller.pollin(shellIndex)) {
                    drain(shell, Channel.SHELL);
                }
                if (poller.pollin(controlIndex)) {
                    drain(control, Channel.CONTROL);
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "Kernel I/O thread failed", e);
            }
        } finally {
            poller.close();
            synchronized (this) {
                context.close();
                waker = null;
            }
        }
    }

    private void drain(ZMQ.Socket socket, Channel channel) {
        List<byte[]> frames;
        while ((frames = Frames.receive(socket, ZMQ.DONTWAIT)) != null) {
            JupyterMessage message;
            try {
                message = codec.decode(frames);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "Dropped a message on " + channel + ": " + e.getMessage());
                continue;
            }
            try {
                handler.onMessage(channel, message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handler failed on " + message, e);
            }
        }
    }



    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            if (waker != null) {
                waker.send(new byte[0], ZMQ.DONTWAIT);
            }
        }
        if (Thread.currentThread() != ioThread) {
            try {
                ioThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
