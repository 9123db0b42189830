package dev.agbscript.local;

import dev.agbscript.jupyter.KernelClient;
import dev.agbscript.jupyter.LanguageKernel;
import dev.agbscript.jupyter.KernelControl;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.ZmtpKernelConnection;
import dev.agbscript.session.KernelLease;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process side of one language's kernel in a local session, as jupyter_client's KernelManager: starts
 * the kernel (on first use, and again after it died or was stopped) in its sandbox, stops it politely then by
 * force, interrupts it by signal or message as its spec says, and hands out the {@link KernelClient} that speaks
 * to it over Unix sockets in a folder of its own.
 *
 * <p>Every start takes a lease of the manager's kernel slots first (which may wait for a slot and for a turn
 * among the starts), ends its turn once the kernel answers and its prelude ran, and gives it back when the start
 * failed or the process has exited.
 *
 * <p>The session serializes executions; start, stop and interrupt may come from other threads.
 */
final class KernelManager implements LanguageKernel {
    /** How long a kernel asked to shut down may take to exit before it is killed. */
    private static final long SHUTDOWN_GRACE_MILLIS = 500;
    /** A Unix socket's path must fit in {@code sun_path}. */
    private static final int MAX_SOCKET_PATH = 107;

    private final KernelSpec spec;
    private final KernelPlace place;
    private final String name;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Running running;
    /** The kernel being started now, so that a stop meanwhile ends it too; null when none starts. */
    private volatile Running startingNow;
    /** Set by a stop: a start under way fails instead of leaving a kernel nobody asked for. */
    private volatile boolean stopRequested;

    KernelManager(KernelSpec spec, KernelPlace place, String name) {
        this.spec = spec;
        this.place = place;
        this.name = name;
    }

    /** A kernel's process with its client; it is the client's {@link KernelControl}. */
    private final class Running implements KernelControl {
        final KernelProcess process;
        final ZmtpKernelConnection connection;
        final KernelClient client;
        final Path folder;
        /** Its slot, closed when it has stopped (also when its process exits on its own). */
        volatile KernelLease lease;
        /** Why the host stopped it (a limit), for the error of the code it was running; null when it did not. */
        volatile String stoppedBecause;

        Running(ConnectionInfo info, Path folder, List<String> command, Map<String, String> environment) {
            this.folder = folder;
            // Connected before the kernel binds: the sockets are tried until they are there.
            ZmtpKernelConnection[] opened = new ZmtpKernelConnection[1];
            client = new KernelClient(spec.language(), spec.errors(), this,
                    handler -> opened[0] = new ZmtpKernelConnection(info.key(),
                            ZmtpKernelConnection.Endpoints.unix(info, folder.resolve("k"), spec.ipcSeparator()), name,
                            handler));
            connection = opened[0];
            try {
                process = KernelProcess.start(command, place.workDir(), environment, log(), place.sandboxed());
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
                return Optional.of(exited());
            }
            if (busy && !spec.heartbeatWhileBusy()) {
                return Optional.empty();
            }
            long lastAnswer = connection.lastHeartbeatNanos();
            if (lastAnswer == 0 && client.version() == null) {
                return Optional.empty(); // not answered yet: it is starting, and the start has its own timeout
            }
            // A kernel that has started but never answered a heartbeat (code run at once, e.g. a kernel that stops
            // itself within the first ping's half second) is judged from when it was expected to answer
            long silentNanos = System.nanoTime()
                    - (lastAnswer != 0 && lastAnswer - sinceNanos > 0 ? lastAnswer : sinceNanos);
            return silentNanos > spec.heartbeatTimeout().toNanos()
                    ? Optional.of("stopped answering its heartbeat (silent for over "
                            + spec.heartbeatTimeout().toMillis() / 1000.0 + " s)")
                    : Optional.empty();
        }

        /** How it ended: the limit that stopped it, else its exit code and, when it ran out of memory, the limit. */
        private String exited() {
            String because = stoppedBecause;
            if (because != null) {
                return because;
            }
            String code = "exited (code " + process.exitCode() + ")";
            String memory = outOfMemory(process.logTail(100)); // a runtime's stack trace may follow its last words
            if (memory != null && place.limits().memory() != SandboxLimits.NONE) {
                return "ran out of memory (" + memory + "): the sandbox allows "
                        + SandboxLimits.bytes(place.limits().memory()) + " per process (" + SandboxLimits.MEMORY
                        + "; raise it to allow more), and it " + code;
            }
            return code;
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
            deleteQuietly(folder);
            KernelLease held = lease;
            if (held != null) {
                held.close(); // at once, not when the exit is noticed: whoever waits for the slot gets it now
            }
        }
    }

    /** The line of a kernel's log that says it ran out of memory, or null. */
    static String outOfMemory(String log) {
        for (String line : log.split("\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("out of memory") || lower.contains("cannot allocate memory")
                    || lower.contains("insufficient memory") || lower.contains("could not reserve enough space")
                    || lower.contains("std::bad_alloc") || lower.contains("memoryerror")
                    || lower.contains("fatal process oom") || lower.contains("failed to reserve virtual memory")) {
                return line.trim();
            }
        }
        return null;
    }

    private Path log() {
        return place.runtimeDir().resolve("kernel-" + spec.language().id() + ".log");
    }

    @Override
    public boolean isRunning() {
        Running current = running;
        return current != null && current.process.isAlive();
    }

    /** What the kernel reported of itself once it ran, else null. */
    @Override
    public String version() {
        Running current = running;
        return current == null ? null : current.client.version();
    }

    /** The kernel's pid as this host sees it, or -1. */
    long pid() {
        Running current = running;
        return current == null ? -1 : current.process.kernelPid();
    }

    /** The client of the running kernel, started first when none runs (after waiting for a slot if need be). */
    @Override
    public KernelClient client() {
        Running current = running;
        if (current != null && current.process.isAlive()) {
            return current.client;
        }
        KernelLease lease;
        try {
            lease = place.slots().acquire(spec.language()); // may wait: outside this object's monitor
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("Interrupted while waiting to start the " + spec.language().displayName()
                    + " kernel", e);
        }
        boolean used = false;
        try {
            synchronized (this) {
                current = running;
                if (current != null && current.process.isAlive()) {
                    return current.client;
                }
                stop();
                running = start(lease);
                used = true;
                return running.client;
            }
        } finally {
            if (!used) {
                lease.close();
            }
        }
    }

    /**
     * Starts the kernel ahead of need (for the warm pool) with a lease the caller took, then runs the spec's warm-up
     * code silently, so that its first real run costs only that run.
     *
     * @throws RuntimeException when it could not start or warm up (the lease is closed then)
     */
    void startAhead(KernelLease lease) {
        synchronized (this) {
            if (running != null && running.process.isAlive()) {
                lease.close();
                throw new IllegalStateException("The " + spec.language().displayName() + " kernel runs already");
            }
        }
        Running started = start(lease);
        synchronized (this) {
            running = started;
        }
        try {
            for (String code : spec.warmUp()) {
                var result = started.client.execute(new dev.agbscript.session.ExecutionRequest(spec.language(), code,
                        spec.startTimeout(), true), dev.agbscript.session.ExecutionListener.NONE);
                if (!result.success()) {
                    throw new KernelException("The " + spec.language().displayName() + " kernel's warm-up failed: "
                            + result.error().map(Object::toString).orElse("?"));
                }
            }
            if (stopRequested) {
                throw new KernelException("The " + spec.language().displayName() + " kernel was stopped while it warmed up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(started);
            lease.close();
            throw new KernelException("Interrupted while the " + spec.language().displayName() + " kernel warmed up", e);
        } catch (RuntimeException e) {
            stop(started);
            lease.close();
            throw e;
        }
    }

    Language language() {
        return spec.language();
    }

    /** The process id of the kernel's process (bwrap's in a sandbox) running or starting, or -1. */
    long processId() {
        Running current = running;
        if (current == null) {
            current = startingNow;
        }
        return current == null ? -1 : current.process.pid();
    }

    /** Starts the kernel; the lease ends its turn once it answered, and closes when it failed or has exited. */
    private Running start(KernelLease lease) {
        Path folder = kernelFolder();
        Running started;
        try {
            ConnectionInfo info = ConnectionInfo.ipc((place.sandboxed() ? Path.of(Bubblewrap.RUNTIME) : folder)
                    .resolve("k").toString());
            Path connectionFile = folder.resolve("connection.json");
            info.write(connectionFile);
            SandboxUser.current().own(connectionFile);
            String kernelsFile = place.sandboxed() ? Bubblewrap.RUNTIME + "/connection.json" : connectionFile.toString();
            List<String> kernel = spec.command(kernelsFile, place.sandboxed() ? place.limits().memory() : SandboxLimits.NONE);
            Map<String, String> environment = new HashMap<>();
            List<String> command = kernel;
            if (place.sandboxed()) {
                environment.putAll(Bubblewrap.environment(pathOf(spec)));
                environment.putAll(spec.environment(place.limits().memory()));
                environment.putAll(place.limits().environment());
                command = new Bubblewrap.Layout(place.workDir(), folder, spec.readOnly(), place.mounts(), place.limits(),
                        SandboxUser.current()).command(kernel);
            } else {
                environment.putAll(spec.environment(SandboxLimits.NONE));
            }
            started = new Running(info, folder, command, environment);
        } catch (IOException e) {
            deleteQuietly(folder);
            lease.close();
            throw new KernelException("Cannot prepare the " + spec.language().displayName() + " kernel's folder "
                    + folder, e);
        } catch (RuntimeException e) {
            deleteQuietly(folder);
            lease.close();
            throw e;
        }
        started.process.onExit(lease::close);
        started.lease = lease;
        startingNow = started;
        try {
            if (stopRequested) {
                throw new KernelException("The " + spec.language().displayName() + " kernel was stopped at start");
            }
            started.client.start(spec.startTimeout());
            lease.started();
            return started;
        } catch (RuntimeException e) {
            started.shutDown();
            lease.close();
            String log = started.process.logTail();
            String message = e.getMessage();
            String memory = outOfMemory(started.process.logTail(100));
            if (message.contains("did not answer within")) {
                message += " (" + KernelSpecs.START_TIMEOUT + ", AGB_KERNELS_START_TIMEOUT, allows that long)";
            }
            if (memory != null && place.sandboxed() && place.limits().memory() != SandboxLimits.NONE) {
                message += "; it ran out of memory: the sandbox allows " + SandboxLimits.bytes(place.limits().memory())
                        + " per process (" + SandboxLimits.MEMORY + ")";
            }
            throw new KernelException(message + (log.isEmpty() ? "" : ": " + log), e);
        } finally {
            startingNow = null;
        }
    }

    /** A new folder for one start: its connection file and sockets, entered by the kernel and this host only. */
    private Path kernelFolder() {
        Path folder = place.runtimeDir().resolve(spec.language().id() + "-" + starts.incrementAndGet());
        String longest = folder.resolve("k-5").toString();
        if (longest.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new SessionException("The session folder " + place.runtimeDir() + " is too deep for the kernels'"
                    + " Unix sockets (" + longest + " is over " + MAX_SOCKET_PATH + " bytes): set agb.local.dir"
                    + " (AGB_LOCAL_DIR) to a shorter folder");
        }
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            SandboxUser.current().own(folder);
            return folder;
        } catch (IOException e) {
            throw new KernelException("Cannot create the kernel's folder " + folder, e);
        }
    }

    /** The folders of the kernel's executable and interpreter outside the system's, for its PATH. */
    private static List<String> pathOf(KernelSpec spec) {
        List<String> path = new ArrayList<>();
        Path executable = Path.of(spec.argv().get(0)).getParent();
        if (executable != null && !executable.startsWith("/usr") && !executable.toString().equals("/bin")) {
            path.add(executable.toString());
        }
        return path;
    }

    private static void deleteQuietly(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: the session's folder goes at its close
        }
    }

    /** Interrupts the running code; false when no kernel runs. */
    @Override
    public boolean interrupt() {
        Running current = running;
        if (current == null || !current.process.isAlive()) {
            return false;
        }
        current.interrupt();
        return true;
    }

    /** Shuts the kernel down (politely, then by force); the next use starts a new one. */
    @Override
    public synchronized void stop() {
        Running current = running;
        if (current != null) {
            stop(current);
        }
    }

    /**
     * Stops the kernel, also one being started ahead of need on another thread (whose start then fails): for the
     * warm pool's close.
     */
    void stopAll() {
        stopRequested = true;
        Running starting = startingNow;
        if (starting != null) {
            starting.process.kill(0);
        }
        Running current;
        synchronized (this) {
            current = running;
        }
        if (current != null) {
            stop(current);
        }
    }

    /**
     * Kills the kernel at once because of a limit: the code it runs fails with this reason, which names the
     * setting; the next use starts a new one.
     */
    void stopBecause(String reason) {
        Running current = running;
        if (current != null && current.process.isAlive()) {
            current.stoppedBecause = reason;
            current.process.kill(0);
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
