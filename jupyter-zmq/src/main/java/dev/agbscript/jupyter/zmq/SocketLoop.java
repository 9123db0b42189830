package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.MessageHandler;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * The ZeroMQ sockets of one end of a Jupyter connection, as the connection file says:
 * <ul>
 *   <li>a {@link #client client} connects shell, control and stdin (DEALER), iopub (SUB) and the heartbeat
 *       (REQ, pinged every {@link #HEARTBEAT_INTERVAL_NANOS} ns, see {@link #lastHeartbeatNanos()});</li>
 *   <li>a {@link #kernel kernel} binds shell, control and stdin (ROUTER), iopub (PUB) and the heartbeat (REP,
 *       echoed at once).</li>
 * </ul>
 * ZeroMQ sockets are not thread-safe, so one I/O thread owns them all: any thread may {@link #send}, which
 * queues the message and wakes that thread through an inproc pair; every incoming message goes to the
 * {@link MessageHandler} on the I/O thread.
 */
public final class SocketLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SocketLoop.class.getName());
    private static final long HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Messages taken from one socket before the others (and the heartbeat) get their turn. */
    private static final int BATCH = 32;

    private enum Side { CLIENT, KERNEL }

    private record Outgoing(Channel channel, List<byte[]> frames) {}

    private final Side side;
    private final ConnectionInfo info;
    private final byte[] identity;
    private final WireCodec codec;
    private final MessageHandler handler;
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final ZContext context = new ZContext();
    private final String wakeAddress = "inproc://agb-wake-" + UUID.randomUUID();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread ioThread;
    private ZMQ.Socket waker;
    private RuntimeException setupFailure;
    private volatile boolean closing;
    private volatile long lastHeartbeatNanos;
    /** Since when ({@link System#nanoTime()}) the I/O thread has been handling a message, or 0. */
    private volatile long handlingSinceNanos;

    /** Connects to a kernel; {@code identity} is the client session id, which routes the kernel's replies. */
    public static SocketLoop client(ConnectionInfo info, String identity, String name, MessageHandler handler) {
        return new SocketLoop(Side.CLIENT, info, identity.getBytes(StandardCharsets.UTF_8), "agb-kernel-io-" + name,
                handler);
    }

    /** Binds the ports of a kernel. */
    public static SocketLoop kernel(ConnectionInfo info, MessageHandler handler) {
        return new SocketLoop(Side.KERNEL, info, null, "agb-kernel-sockets", handler);
    }

    private SocketLoop(Side side, ConnectionInfo info, byte[] identity, String threadName, MessageHandler handler) {
        this.side = side;
        this.info = info;
        this.identity = identity;
        this.codec = new WireCodec(info.key());
        this.handler = handler;
        // JeroMQ's own threads print stack traces by default; while closing, a closed socket is expected.
        Thread.UncaughtExceptionHandler toLog = (thread, e) -> LOG.log(closing ? Level.FINE : Level.WARNING,
                "ZeroMQ thread " + thread.getName() + " failed", e);
        context.setUncaughtExceptionHandler(toLog);
        context.setNotificationExceptionHandler(toLog);
        ioThread = new Thread(this::run, threadName);
        ioThread.setDaemon(true);
        ioThread.start();
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (setupFailure != null) {
            throw new KernelException("Cannot " + (side == Side.CLIENT ? "connect to" : "bind") + " the kernel's ports "
                    + info.ip() + ":" + info.shellPort() + "…: " + setupFailure.getMessage(), setupFailure);
        }
    }

    /** Queues the message; the I/O thread sends it, in queue order. */
    public void send(Channel channel, JupyterMessage message) {
        if (closing) {
            throw new KernelException("The kernel connection is closed");
        }
        outbox.add(new Outgoing(channel, codec.encode(message)));
        wake();
    }

    private synchronized void wake() {
        if (waker != null) {
            waker.send(new byte[0], ZMQ.DONTWAIT);
        }
    }

    /**
     * When ({@link System#nanoTime()}) the kernel last answered a heartbeat; 0 while it never has. While this
     * loop is busy with one of the kernel's messages it cannot read the heartbeat, so it answers "now": a kernel
     * whose messages are being handled is not silent.
     */
    public long lastHeartbeatNanos() {
        return handlingSinceNanos != 0 ? System.nanoTime() : lastHeartbeatNanos;
    }

    private void run() {
        boolean client = side == Side.CLIENT;
        Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
        sockets.put(Channel.SHELL, context.createSocket(client ? SocketType.DEALER : SocketType.ROUTER));
        sockets.put(Channel.CONTROL, context.createSocket(client ? SocketType.DEALER : SocketType.ROUTER));
        sockets.put(Channel.STDIN, context.createSocket(client ? SocketType.DEALER : SocketType.ROUTER));
        sockets.put(Channel.IOPUB, context.createSocket(client ? SocketType.SUB : SocketType.PUB));
        ZMQ.Socket heartbeat = context.createSocket(client ? SocketType.REQ : SocketType.REP);
        ZMQ.Socket wakeReceiver = context.createSocket(SocketType.PAIR);
        try {
            setUp(sockets, heartbeat);
            wakeReceiver.bind(wakeAddress);
            synchronized (this) {
                waker = context.createSocket(SocketType.PAIR);
                waker.connect(wakeAddress);
            }
        } catch (RuntimeException e) {
            setupFailure = e;
            context.close();
            finished.countDown();
            return;
        } finally {
            ready.countDown();
        }

        // What comes in: everything but a kernel's iopub, which only publishes.
        List<Channel> incoming = sockets.keySet().stream().filter(c -> client || c != Channel.IOPUB).toList();
        ZMQ.Poller poller = context.createPoller(incoming.size() + 2);
        int[] index = new int[Channel.values().length];
        incoming.forEach(channel -> index[channel.ordinal()] = poller.register(sockets.get(channel), ZMQ.Poller.POLLIN));
        int heartbeatIndex = poller.register(heartbeat, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        boolean[] backlog = new boolean[Channel.values().length];
        long nextPing = System.nanoTime();
        try {
            while (true) {
                long now = System.nanoTime();
                if (client && now - nextPing >= 0) {
                    heartbeat.send("ping".getBytes(StandardCharsets.US_ASCII), ZMQ.DONTWAIT);
                    nextPing = now + HEARTBEAT_INTERVAL_NANOS;
                }
                boolean behind = false;
                for (boolean b : backlog) {
                    behind |= b;
                }
                poller.poll(behind ? 0 : client ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPing - now)) : 1000);
                if (poller.pollin(wakeIndex)) {
                    while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                        // drained; the queue holds the messages
                    }
                }
                Outgoing out;
                while ((out = outbox.poll()) != null) {
                    Frames.send(sockets.get(out.channel()), out.frames());
                }
                if (closing) {
                    break;
                }
                if (poller.pollin(heartbeatIndex)) {
                    List<byte[]> ping = Frames.receive(heartbeat, ZMQ.DONTWAIT);
                    if (client) {
                        lastHeartbeatNanos = System.nanoTime();
                    } else if (ping != null) {
                        Frames.send(heartbeat, ping);
                    }
                }
                for (Channel channel : incoming) {
                    if (backlog[channel.ordinal()] || poller.pollin(index[channel.ordinal()])) {
                        backlog[channel.ordinal()] = receive(sockets.get(channel), channel);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.log(Level.SEVERE, "The kernel connection's I/O thread failed", e);
            }
        } finally {
            poller.close();
            synchronized (this) {
                waker = null;
                context.close();
            }
            finished.countDown();
        }
    }

    private void setUp(Map<Channel, ZMQ.Socket> sockets, ZMQ.Socket heartbeat) {
        Map<Channel, Integer> ports = Map.of(Channel.SHELL, info.shellPort(), Channel.CONTROL, info.controlPort(),
                Channel.STDIN, info.stdinPort(), Channel.IOPUB, info.iopubPort());
        for (Map.Entry<Channel, ZMQ.Socket> entry : sockets.entrySet()) {
            ZMQ.Socket socket = entry.getValue();
            if (side == Side.CLIENT) {
                // A client that closes has nothing left to say; a kernel sends its last replies first.
                socket.setLinger(0);
                if (entry.getKey() == Channel.IOPUB) {
                    socket.subscribe(ZMQ.SUBSCRIPTION_ALL);
                } else {
                    socket.setIdentity(identity);
                }
            } else {
                socket.setLinger(1000);
            }
            // Unbounded queues: a PUB socket drops messages past its high-water mark, and output must not be lost.
            socket.setSndHWM(0);
            socket.setRcvHWM(0);
            connectOrBind(socket, ports.get(entry.getKey()));
        }
        heartbeat.setLinger(0);
        if (side == Side.CLIENT) {
            heartbeat.setReqRelaxed(true);
            heartbeat.setReqCorrelate(true);
        }
        connectOrBind(heartbeat, info.hbPort());
    }

    private void connectOrBind(ZMQ.Socket socket, int port) {
        if (side == Side.CLIENT) {
            socket.connect(info.endpoint(port));
        } else {
            socket.bind(info.endpoint(port));
        }
    }

    /** Hands up to {@link #BATCH} messages to the handler; true when more may be waiting. */
    private boolean receive(ZMQ.Socket socket, Channel channel) {
        for (int i = 0; i < BATCH; i++) {
            List<byte[]> frames = Frames.receive(socket, ZMQ.DONTWAIT);
            if (frames == null) {
                return false;
            }
            handlingSinceNanos = System.nanoTime();
            try {
                handle(channel, frames);
            } finally {
                handlingSinceNanos = 0;
            }
        }
        return true;
    }

    private void handle(Channel channel, List<byte[]> frames) {
        JupyterMessage message;
        try {
            message = codec.decode(frames);
        } catch (IllegalArgumentException e) {
            LOG.warning("Dropped a message on " + channel + ": " + e.getMessage());
            return;
        }
        try {
            handler.onMessage(channel, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Handling " + message + " failed", e);
        }
    }

    /** Sends what is queued, then closes the sockets (waiting up to two seconds). */
    @Override
    public void close() {
        closing = true;
        wake();
        if (Thread.currentThread() != ioThread) {
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
