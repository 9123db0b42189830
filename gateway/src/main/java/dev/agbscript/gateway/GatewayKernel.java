package dev.agbscript.gateway;

import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.KernelClient;
import dev.agbscript.jupyter.KernelControl;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.LanguageKernel;
import dev.agbscript.jupyter.MessageHandler;
import dev.agbscript.session.KernelLease;
import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One language's kernel of a sandbox, on the gateway: started on first use ({@code POST /api/kernels}, then its
 * WebSocket, {@code kernel_info} and the prelude), interrupted through {@code POST …/interrupt}, ended with
 * {@code DELETE}. A kernel that died or whose gateway went away is ended, and the next use starts a new one, as
 * on the local backend.
 *
 * <p>The gateway restarts a kernel that dies, under the same id; it says so on the socket ({@code status:
 * restarting}, or {@code dead} when it gives up), but not the exit code. This class takes such a kernel for dead:
 * its state is gone, and the prelude would have to run again.
 */
final class GatewayKernel implements LanguageKernel {
    private static final Logger LOG = Logger.getLogger(GatewayKernel.class.getName());

    private final GatewayBackend backend;
    private final Language language;
    private final String name;
    private volatile Running running;

    GatewayKernel(GatewayBackend backend, Language language) {
        this.backend = backend;
        this.language = language;
        this.name = "The " + language.displayName() + " kernel";
    }

    /** One kernel on the gateway, with its socket and client; it is the client's {@link KernelControl}. */
    private final class Running implements KernelControl {
        final String kernelId;
        final KernelLease lease;
        final WebSocketKernelConnection connection;
        final KernelClient client;
        final AtomicBoolean ended = new AtomicBoolean();
        volatile String died;

        Running(String kernelId, KernelLease lease) {
            this.kernelId = kernelId;
            this.lease = lease;
            WebSocketKernelConnection[] opened = new WebSocketKernelConnection[1];
            client = new KernelClient(language, backend.errors(language), this, handler -> opened[0] =
                    new WebSocketKernelConnection(backend.api(), kernelId, name, watch(handler), backend.timer()));
            connection = opened[0];
        }

        /** Notes what the server says of the kernel itself (no parent: it is not an answer to a request). */
        private MessageHandler watch(MessageHandler client) {
            return (channel, message) -> {
                if (channel == Channel.IOPUB && "status".equals(message.msgType()) && message.parentMsgId() == null) {
                    String state = message.contentString("execution_state");
                    if ("restarting".equals(state)) {
                        died = "exited (the gateway saw it die and restarted it; a gateway does not tell the exit code)";
                    } else if ("dead".equals(state)) {
                        died = "exited (the gateway saw it die and could not restart it)";
                    }
                }
                client.onMessage(channel, message);
            };
        }

        boolean usable() {
            return !ended.get() && died == null && connection.lost().isEmpty();
        }

        @Override
        public void interrupt() {
            try {
                backend.api().interrupt(kernelId);
            } catch (GatewayException e) {
                LOG.warning("Could not interrupt " + name.toLowerCase(java.util.Locale.ROOT) + " " + kernelId + ": "
                        + e.getMessage());
            }
        }

        @Override
        public Optional<String> failure(boolean busy, long sinceNanos) {
            if (died != null) {
                return Optional.of(died);
            }
            return connection.lost().map(why -> "could not be reached: it " + why);
        }

        @Override
        public void stop() {
            GatewayKernel.this.stop(this);
        }

        /** Closes the socket and deletes the kernel on the gateway (once; a gateway gone is only logged). */
        void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            try {
                client.close();
                if (died != null) {
                    backend.api().deleteRestarting(kernelId);
                } else if (connection.lost().isEmpty()) {
                    backend.api().delete(kernelId);
                }
            } catch (GatewayException e) {
                LOG.warning("Could not delete " + name.toLowerCase(java.util.Locale.ROOT) + " " + kernelId
                        + " on the gateway: " + e.getMessage());
            } finally {
                backend.forget(kernelId);
                lease.close();
            }
        }
    }

    /** The client of the running kernel, started first when none runs or the last one died. */
    @Override
    public synchronized KernelClient client() {
        Running current = running;
        if (current != null && current.usable()) {
            return current.client;
        }
        stop();
        running = start();
        return running.client;
    }

    private Running start() {
        String spec = backend.kernelSpec(language);
        KernelLease lease;
        try {
            lease = backend.slots().acquire(language);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("Interrupted while waiting to start " + name.toLowerCase(java.util.Locale.ROOT), e);
        }
        String kernelId;
        long start = System.nanoTime();
        try {
            kernelId = backend.api().startKernel(spec, backend.kernelEnvironment());
        } catch (RuntimeException e) {
            lease.close();
            throw new KernelException(name + " (kernelspec '" + spec + "') did not start: " + e.getMessage(), e);
        }
        backend.remember(kernelId);
        Running started = new Running(kernelId, lease);
        try {
            Duration timeout = backend.api().config().startTimeout();
            started.connection.open(start + timeout.toNanos());
            started.client.start(Duration.ofNanos(Math.max(1, start + timeout.toNanos() - System.nanoTime())));
            lease.started();
            return started;
        } catch (RuntimeException e) {
            started.end();
            throw new KernelException(name + " (kernelspec '" + spec + "', kernel " + kernelId + " on the gateway at "
                    + backend.api().config().url() + ") did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isRunning() {
        Running current = running;
        return current != null && current.usable();
    }

    /** What the kernel reported of itself once it ran, else null. */
    @Override
    public String version() {
        Running current = running;
        return current == null ? null : current.client.version();
    }

    /** The gateway's id of the running kernel, or null. */
    String kernelId() {
        Running current = running;
        return current == null ? null : current.kernelId;
    }

    /** The socket of the running kernel, for tests. */
    Optional<WebSocketKernelConnection> connection() {
        Running current = running;
        return current == null ? Optional.empty() : Optional.of(current.connection);
    }

    /** Interrupts the running code through the REST API; false when no kernel runs. */
    @Override
    public boolean interrupt() {
        Running current = running;
        if (current == null || !current.usable()) {
            return false;
        }
        current.interrupt();
        return true;
    }

    /** Ends the kernel; the next use starts a new one. */
    @Override
    public synchronized void stop() {
        Running current = running;
        if (current != null) {
            stop(current);
        }
    }

    /** Ends that kernel, unless a new one has replaced it meanwhile. */
    private void stop(Running kernel) {
        synchronized (this) {
            if (running == kernel) {
                running = null;
            }
        }
        kernel.end();
    }

}
