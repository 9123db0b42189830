package dev.agbscript.local;

import dev.agbscript.jupyter.KernelClient;
import dev.agbscript.jupyter.KernelControl;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.ZmqKernelConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The process side of one language's kernel in a local session, as jupyter_client's KernelManager: starts
 * the kernel (on first use, and again after it died or was stopped), stops it politely then by force,
 * interrupts it by signal or message as its spec says, and hands out the {@link KernelClient} that speaks to
 * it. A start that fails or times out is tried once more with new ports.
 *
 * <p>The session serializes executions; start, stop and interrupt may come from other threads.
 */
final class KernelManager {
    private static final Logger LOG = Logger.getLogger(KernelManager.class.getName());
    private static final int START_ATTEMPTS = 2;
    /** How long a kernel asked to shut down may take to exit before it is killed. */
    private static final long SHUTDOWN_GRACE_MILLIS = 500;

    private final KernelSpec spec;
    private final Path workDir;
    private final Path runtimeDir;
    private final String name;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Running running;

    KernelManager(KernelSpec spec, Path workDir, Path runtimeDir, String name) {
        this.spec = spec;
        this.workDir = workDir;
        this.runtimeDir = runtimeDir;
        this.name = name;
    }

    /** A kernel's process with its client; it is the client's {@link KernelControl}. */
    private final class Running implements KernelControl {
        final KernelProcess process;
        final ZmqKernelConnection connection;
        final KernelClient client;

        Running(ConnectionInfo info, Path connectionFile) {
            // Connected before the kernel binds, so that iopub misses as little as it can.
            ZmqKernelConnection[] opened = new ZmqKernelConnection[1];
            client = new KernelClient(spec.language(), spec.errors(), this,
                    handler -> opened[0] = new ZmqKernelConnection(info, name, handler));
            connection = opened[0];
            try {
                process = KernelProcess.start(spec.command(connectionFile.toString()), workDir, spec.environment(),
                        runtimeDir.resolve("kernel-" + spec.language().id() + ".log"));
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }

        @Override
        public void interrupt() {
            if (!process.isAlive()) {
                return;
            }
            if (spec.interruptMode() == KernelSpec.InterruptMode.SIGNAL) {
                process.sendInterrupt();
            } else {
                client.sendInterruptRequest();
            }
        }

        @Override
        public Optional<String> failure(boolean busy, long sinceNanos) {
            if (!process.isAlive()) {
                return Optional.of("exited (code " + process.exitCode() + ")");
            }
            if (busy && !spec.heartbeatWhileBusy()) {
                return Optional.empty();
            }
            long lastAnswer = connection.lastHeartbeatNanos();
            if (lastAnswer == 0) {
                return Optional.empty(); // not answered yet: it is starting, and the start has its own timeout
            }
            long silentNanos = System.nanoTime() - (lastAnswer - sinceNanos > 0 ? lastAnswer : sinceNanos);
            return silentNanos > spec.heartbeatTimeout().toNanos()
                    ? Optional.of("stopped answering its heartbeat (silent for over "
                            + spec.heartbeatTimeout().toMillis() / 1000.0 + " s)")
                    : Optional.empty();
        }

        @Override
        public void stop() {
            KernelManager.this.stop(this);
        }

        void shutDown() {
            boolean askedToExit = false;
            // A kernel that never answered cannot take a shutdown_request either.
            if (process.isAlive() && client.version() != null) {
                try {
                    client.sendShutdownRequest();
                    askedToExit = true;
                } catch (KernelException closed) {
                    // the connection is already closed: kill below
                }
            }
            process.kill(askedToExit ? SHUTDOWN_GRACE_MILLIS : 0);
            client.close();
        }
    }

    boolean isRunning() {
        Running current = running;
        return current != null && current.process.isAlive();
    }

    /** What the kernel reported of itself once it ran, else null. */
    String version() {
        Running current = running;
        return current == null ? null : current.client.version();
    }

    long pid() {
        Running current = running;
        return current == null ? -1 : current.process.pid();
    }

    /** The client of the running kernel, started first when none runs. */
    synchronized KernelClient client() {
        Running current = running;
        if (current != null && current.process.isAlive()) {
            return current.client;
        }
        stop();
        KernelException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                running = start();
                return running.client;
            } catch (KernelException e) {
                last = e;
                LOG.warning("The " + spec.language() + " kernel did not start (attempt " + attempt + "): "
                        + e.getMessage());
            }
        }
        throw last;
    }

    private Running start() {
        ConnectionInfo info = ConnectionInfo.allocate();
        Path connectionFile = runtimeDir.resolve("kernel-" + spec.language().id() + "-" + starts.incrementAndGet()
                + ".json");
        try {
            info.write(connectionFile);
        } catch (IOException e) {
            throw new KernelException("Cannot write the kernel connection file " + connectionFile, e);
        }
        Running started = new Running(info, connectionFile);
        try {
            started.client.start(spec.startTimeout());
            return started;
        } catch (RuntimeException e) {
            started.shutDown();
            String log = started.process.logTail();
            throw new KernelException(e.getMessage() + (log.isEmpty() ? "" : ": " + log), e);
        }
    }

    /** Interrupts the running code; false when no kernel runs. */
    boolean interrupt() {
        Running current = running;
        if (current == null || !current.process.isAlive()) {
            return false;
        }
        current.interrupt();
        return true;
    }

    /** Shuts the kernel down (politely, then by force); the next use starts a new one. */
    synchronized void stop() {
        Running current = running;
        if (current != null) {
            stop(current);
        }
    }

    /** Stops that kernel, unless a new one has replaced it meanwhile. */
    private void stop(Running kernel) {
        synchronized (this) {
            if (running == kernel) {
                running = null;
            }
        }
        kernel.shutDown();
    }
}
