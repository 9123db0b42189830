package dev.agbscript.jupyter.zmq;

import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.MessageHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
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

/**
 * A connection to a kernel's ZeroMQ sockets that speaks {@link Zmtp} itself over {@link SocketChannel}s: shell,
 * control and stdin as DEALERs, iopub as a SUB, the heartbeat as a REQ pinged every half second. It is how the
 * embedded sandbox reaches kernels over Unix sockets ({@code ipc://}, which JeroMQ lacks): they live in a folder,
 * so only who may enter it can connect, and a kernel without network can still be reached. TCP works the same.
 *
 * <p>The kernel binds after this connects; until then each socket is tried again every few milliseconds and
 * what is sent waits, as with ZeroMQ. One I/O thread owns the channels: any thread may {@link #send}, every
 * incoming message goes to the {@link MessageHandler} on that thread.
 */
public final class ZmtpKernelConnection implements KernelConnection {
    private static final Logger LOG = Logger.getLogger(ZmtpKernelConnection.class.getName());
    private static final long HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CLOSE_FLUSH_MILLIS = 1000;
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    /** The addresses of a kernel's five ports. */
    public record Endpoints(SocketAddress shell, SocketAddress control, SocketAddress stdin, SocketAddress iopub,
                            SocketAddress heartbeat) {
        /** The Unix sockets {@code <base><separator><port>} of the connection's ports, as the host sees them. */
        public static Endpoints unix(ConnectionInfo info, Path base, String separator) {
            return new Endpoints(unix(base, separator, info.shellPort()), unix(base, separator, info.controlPort()),
                    unix(base, separator, info.stdinPort()), unix(base, separator, info.iopubPort()),
                    unix(base, separator, info.hbPort()));
        }

        private static SocketAddress unix(Path base, String separator, int port) {
            return UnixDomainSocketAddress.of(base.resolveSibling(base.getFileName() + separator + port));
        }

        /** The TCP ports of the connection. */
        public static Endpoints tcp(ConnectionInfo info) {
            return new Endpoints(new InetSocketAddress(info.ip(), info.shellPort()),
                    new InetSocketAddress(info.ip(), info.controlPort()),
                    new InetSocketAddress(info.ip(), info.stdinPort()),
                    new InetSocketAddress(info.ip(), info.iopubPort()),
                    new InetSocketAddress(info.ip(), info.hbPort()));
        }
    }

    private final String clientSessionId = UUID.randomUUID().toString();
    private final WireCodec codec;
    private final MessageHandler handler;
    private final Selector selector;
    private final Map<Channel, Link> links = new EnumMap<>(Channel.class);
    private final Link heartbeat;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread ioThread;
    private volatile boolean closing;
    private volatile long lastHeartbeatNanos;
    /** Since when ({@link System#nanoTime()}) the I/O thread has been handling a message, or 0. */
    private volatile long handlingSinceNanos;

    /** One socket: its file, its ZMTP state, and what waits to be written. */
    private static final class Link {
        final SocketAddress address;
        final Channel channel;
        final Zmtp.SocketType type;
        final byte[] identity;
        /** Messages sent before the handshake completed, in order. */
        final ArrayDeque<List<byte[]>> waiting = new ArrayDeque<>();
        final ArrayDeque<ByteBuffer> writing = new ArrayDeque<>();
        SocketChannel socket;
        SelectionKey key;
        Zmtp zmtp;
        long nextAttempt;

        Link(SocketAddress address, Channel channel, Zmtp.SocketType type, byte[] identity) {
            this.address = address;
            this.channel = channel;
            this.type = type;
            this.identity = identity;
        }
    }

    /** @param name names the I/O thread, for thread dumps */
    public ZmtpKernelConnection(String key, Endpoints endpoints, String name, MessageHandler handler) {
        this.codec = new WireCodec(key);
        this.handler = handler;
        byte[] identity = clientSessionId.getBytes(StandardCharsets.UTF_8);
        links.put(Channel.SHELL, new Link(endpoints.shell(), Channel.SHELL, Zmtp.SocketType.DEALER, identity));
        links.put(Channel.CONTROL, new Link(endpoints.control(), Channel.CONTROL, Zmtp.SocketType.DEALER, identity));
        links.put(Channel.STDIN, new Link(endpoints.stdin(), Channel.STDIN, Zmtp.SocketType.DEALER, identity));
        links.put(Channel.IOPUB, new Link(endpoints.iopub(), Channel.IOPUB, Zmtp.SocketType.SUB, null));
        heartbeat = new Link(endpoints.heartbeat(), null, Zmtp.SocketType.REQ, null);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new KernelException("Cannot open a selector for the kernel's sockets", e);
        }
        ioThread = new Thread(this::run, "agb-kernel-io-" + name);
        ioThread.setDaemon(true);
        ioThread.start();
    }

    @Override
    public String clientSessionId() {
        return clientSessionId;
    }

    /** Queues the message; the I/O thread writes it, in queue order, once the socket is connected. */
    @Override
    public void send(Channel channel, JupyterMessage message) {
        if (closing) {
            throw new KernelException("The kernel connection is closed");
        }
        List<byte[]> frames = codec.encode(message);
        Link link = links.get(channel);
        tasks.add(() -> queue(link, frames));
        selector.wakeup();
    }

    /**
     * When ({@link System#nanoTime()}) the kernel last answered a heartbeat; 0 while it never has. While a message
     * of the kernel is being handled the heartbeat cannot be read, so it answers "now".
     */
    public long lastHeartbeatNanos() {
        return handlingSinceNanos != 0 ? System.nanoTime() : lastHeartbeatNanos;
    }

    private List<Link> allLinks() {
        List<Link> all = new ArrayList<>(links.values());
        all.add(heartbeat);
        return all;
    }

    private void run() {
        long nextPing = System.nanoTime();
        try {
            while (!closing) {
                long now = System.nanoTime();
                long wait = nextPing - now;
                for (Link link : allLinks()) {
                    if (link.socket == null) {
                        if (now - link.nextAttempt >= 0) {
                            connect(link);
                        }
                        if (link.socket == null) {
                            wait = Math.min(wait, link.nextAttempt - now);
                        }
                    }
                }
                if (now - nextPing >= 0) {
                    if (heartbeat.zmtp != null && heartbeat.zmtp.ready()) {
                        queue(heartbeat, List.of(PING));
                    }
                    nextPing = now + HEARTBEAT_INTERVAL_NANOS;
                    wait = Math.min(wait, HEARTBEAT_INTERVAL_NANOS);
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Link link = (Link) key.attachment();
                    try {
                        if (key.isValid() && key.isReadable()) {
                            read(link);
                        }
                        if (key.isValid() && key.isWritable()) {
                            write(link);
                        }
                    } catch (IOException e) {
                        disconnect(link, e);
                    }
                }
                selector.selectedKeys().clear();
            }
            flushBeforeClosing();
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                LOG.log(Level.SEVERE, "The kernel connection's I/O thread failed", e);
            }
        } finally {
            for (Link link : allLinks()) {
                closeQuietly(link);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            finished.countDown();
        }
    }

    /** The kernel may not have bound yet: a missing or refusing socket is tried again shortly. */
    private void connect(Link link) {
        SocketChannel socket = null;
        try {
            socket = SocketChannel.open(link.address instanceof UnixDomainSocketAddress
                    ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
            if (!(link.address instanceof UnixDomainSocketAddress)) {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            socket.connect(link.address);
            socket.configureBlocking(false);
            link.socket = socket;
            link.zmtp = new Zmtp(link.type, link.identity);
            link.writing.add(link.zmtp.handshake());
            if (link.type == Zmtp.SocketType.SUB) {
                link.waiting.addFirst(List.of(new byte[] {1})); // subscribe to everything, first thing once open
            }
            link.key = socket.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, link);
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // it never connected
                }
            }
            link.socket = null;
            link.nextAttempt = System.nanoTime() + RECONNECT_NANOS;
        }
    }

    private void queue(Link link, List<byte[]> frames) {
        if (link.zmtp != null && link.zmtp.ready()) {
            link.writing.add(link.zmtp.frames(frames));
            interestInWriting(link);
        } else {
            link.waiting.add(frames);
        }
    }

    private void interestInWriting(Link link) {
        if (link.key != null && link.key.isValid()) {
            link.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void write(Link link) throws IOException {
        while (!link.writing.isEmpty()) {
            ByteBuffer next = link.writing.peek();
            link.socket.write(next);
            if (next.hasRemaining()) {
                return; // the socket is full: OP_WRITE stays on
            }
            link.writing.poll();
        }
        link.key.interestOps(SelectionKey.OP_READ);
    }

    /**
     * Reads what the socket has and hands each message to the handler before reading more, so a handler that
     * is slower than the kernel (a slow writer) leaves the rest in the socket, whose flow control then slows the
     * kernel: nothing piles up in the host. A message larger than {@link Zmtp#STREAM_THRESHOLD} is read as it
     * arrives: a stream's text handed on in pieces ({@link StreamContent}), so no stream message is ever whole
     * in the heap, other content parsed without its bytes kept ({@link ParsedContent}).
     */
    private void read(Link link) throws IOException {
        boolean wasReady = link.zmtp.ready();
        int read = link.socket.read(link.zmtp.inputBuffer());
        if (read < 0) {
            throw new IOException("the kernel closed the socket");
        }
        link.zmtp.receive(new Zmtp.Receiver() {
            @Override
            public void message(List<byte[]> frames) {
                if (link == heartbeat) {
                    lastHeartbeatNanos = System.nanoTime();
                } else if (!frames.contains(Zmtp.STREAMED)) { // a streamed one was handed on piece by piece
                    handle(link.channel, frames);
                }
            }

            @Override
            public Zmtp.FrameSink largeFrame(List<byte[]> before, long size) {
                Zmtp.FrameSink sink = link == heartbeat ? null
                        : codec.largeContent(before, message -> deliver(link.channel, message));
                return sink == null ? null : new Zmtp.FrameSink() {
                    // while a frame is taken in (a parser behind waits) the heartbeat cannot be read
                    @Override
                    public void data(ByteBuffer bytes) {
                        handlingSinceNanos = System.nanoTime();
                        try {
                            sink.data(bytes);
                        } finally {
                            handlingSinceNanos = 0;
                        }
                    }

                    @Override
                    public void end() {
                        handlingSinceNanos = System.nanoTime();
                        try {
                            sink.end();
                        } finally {
                            handlingSinceNanos = 0;
                        }
                    }

                    @Override
                    public void abort() {
                        sink.abort();
                    }
                };
            }
        });
        if (!wasReady && link.zmtp.ready()) {
            for (List<byte[]> frames; (frames = link.waiting.poll()) != null; ) {
                link.writing.add(link.zmtp.frames(frames));
            }
            interestInWriting(link);
        }
    }

    private void handle(Channel channel, List<byte[]> frames) {
        JupyterMessage message;
        try {
            message = codec.decode(frames);
        } catch (IllegalArgumentException e) {
            LOG.warning("Dropped a message on " + channel + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            return;
        }
        deliver(channel, message);
    }

    private void deliver(Channel channel, JupyterMessage message) {
        handlingSinceNanos = System.nanoTime();
        try {
            handler.onMessage(channel, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Handling " + message + " failed", e);
        } finally {
            handlingSinceNanos = 0;
        }
    }

    /** The kernel went away (it exited, or is restarting): connect again later, as ZeroMQ does. */
    private void disconnect(Link link, IOException why) {
        LOG.fine(() -> "Lost " + link.address + ": " + why.getMessage());
        closeQuietly(link);
        link.writing.clear();
        link.nextAttempt = System.nanoTime() + RECONNECT_NANOS;
    }

    private static void closeQuietly(Link link) {
        if (link.key != null) {
            link.key.cancel();
            link.key = null;
        }
        if (link.socket != null) {
            try {
                link.socket.close();
            } catch (IOException ignored) {
                // closing
            }
            link.socket = null;
        }
        if (link.zmtp != null) {
            link.zmtp.abort();
        }
        link.zmtp = null;
    }

    /** What was sent before close (a shutdown_request) still leaves, for up to a second. */
    private void flushBeforeClosing() throws IOException {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_FLUSH_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            boolean left = false;
            for (Link link : allLinks()) {
                if (link.socket != null && link.zmtp.ready() && !link.writing.isEmpty()) {
                    try {
                        write(link);
                    } catch (IOException e) {
                        closeQuietly(link);
                        continue;
                    }
                    left |= !link.writing.isEmpty();
                }
            }
            if (!left) {
                return;
            }
            selector.select(10);
            selector.selectedKeys().clear();
        }
    }

    /** Sends what is queued (up to a second), then closes the sockets. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() != ioThread) {
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
