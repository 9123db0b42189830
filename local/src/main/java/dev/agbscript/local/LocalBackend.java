package dev.agbscript.local;

import dev.agbscript.session.Backend;
import dev.agbscript.session.KernelSlots;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.SandboxOptions;
import dev.agbscript.session.Settings;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded sandbox: sessions are private directories with real Jupyter kernels on this machine, each in a
 * sandbox of its own ({@link Bubblewrap}), spoken to directly over ZeroMQ on Unix sockets. Session directories live
 * under {@code -Dagb.local.dir} or {@code AGB_LOCAL_DIR}, else {@code $TMPDIR/agb-script}.
 *
 * <p>Under a {@link dev.agbscript.session.SessionManager} it keeps a warm pool ({@link KernelPool}, {@code agb.pool.size}):
 * kernels of the languages this process has used, started ahead of need, from which a new sandbox with default options
 * takes its first kernel.
 *
 * <p>It refuses to start where the machine cannot sandbox, unless {@code agb.sandbox=none}.
 */
public final class LocalBackend implements Backend {
    /** How often the sessions' own working folders are measured against the disk limit. */
    private static final long DISK_CHECK_MILLIS = 250;

    /** The sandboxes of every backend of this JVM, measured by one daemon thread. */
    private static final List<WeakReference<LocalSandbox>> SANDBOXES = new CopyOnWriteArrayList<>();
    private static final ScheduledExecutorService DISK_WATCH = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agb-disk-watch");
        thread.setDaemon(true);
        return thread;
    });

    static {
        DISK_WATCH.scheduleWithFixedDelay(LocalBackend::checkDisks, DISK_CHECK_MILLIS, DISK_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private final Path sessionsDir;
    private final boolean sandboxed;
    private final KernelPool pool;
    private volatile KernelSlots slots = KernelSlots.UNLIMITED;

    public LocalBackend() {
        this(defaultSessionsDir());
    }

    /**
     * With the warm pool's sizes of the settings ({@code agb.pool.size}, see {@link KernelPool}).
     *
     * @throws dev.agbscript.session.SessionException when this machine cannot sandbox (see {@link Bubblewrap#check()})
     */
    public LocalBackend(Path sessionsDir) {
        this(sessionsDir, Bubblewrap.check(), KernelPool.sizesFromSettings());
    }

    /**
     * With a warm pool of that many kernels for each language this process uses (0: no pool), whatever the settings
     * say.
     */
    public LocalBackend(Path sessionsDir, int poolSize) {
        this(sessionsDir, Bubblewrap.check(), KernelPool.sizes(poolSize));
    }

    /** With the sandbox on or off whatever the settings say, and no pool: for measuring what the sandbox costs. */
    LocalBackend(Path sessionsDir, boolean sandboxed) {
        this(sessionsDir, sandboxed, KernelPool.sizes(0));
    }

    private LocalBackend(Path sessionsDir, boolean sandboxed,
            java.util.Map<dev.agbscript.session.Language, Integer> poolSizes) {
        this.sessionsDir = sessionsDir;
        this.sandboxed = sandboxed;
        this.pool = new KernelPool(sessionsDir, sandboxed, poolSizes);
    }

    /** The warm pool (for tests and the benchmark). */
    KernelPool pool() {
        return pool;
    }

    private static Path defaultSessionsDir() {
        String configured = Settings.get("agb.local.dir", "AGB_LOCAL_DIR");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "agb-script");
    }

    @Override
    public String name() {
        return "local";
    }

    /** Whether kernels run sandboxed (false only with {@code agb.sandbox=none}). */
    public boolean sandboxed() {
        return sandboxed;
    }

    @Override
    public boolean useKernelSlots(KernelSlots slots) {
        this.slots = slots;
        pool.useSlots(slots); // the pool works under a manager only: its close stops the pool's kernels
        return true;
    }

    @Override
    public Sandbox createSandbox() {
        return createSandbox(SandboxOptions.DEFAULTS);
    }

    @Override
    public boolean supportsWorkingFolder() {
        return true;
    }

    @Override
    public Sandbox createSandbox(Path workingFolder) {
        return createSandbox(SandboxOptions.DEFAULTS.withWorkingFolder(workingFolder));
    }

    @Override
    public java.util.Optional<String> workingFolderProblem(Path workingFolder) {
        return java.util.Optional.ofNullable(sandboxed ? SandboxUser.current().cannotWrite(workingFolder) : null);
    }

    /** @throws dev.agbscript.session.SessionException when the kernels could not write a folder they should */
    @Override
    public Sandbox createSandbox(SandboxOptions options) {
        if (sandboxed && options.workingFolder() != null) {
            workingFolderProblem(options.workingFolder()).ifPresent(problem -> {
                throw new dev.agbscript.session.SessionException("Cannot run kernels in that working folder: " + problem);
            });
        }
        for (SandboxOptions.Mount mount : options.mounts()) {
            String problem = sandboxed && mount.writable() ? SandboxUser.current().cannotWrite(mount.hostFolder()) : null;
            if (problem != null) {
                throw new dev.agbscript.session.SessionException("Cannot mount " + mount.name() + " writable: " + problem);
            }
        }
        LocalSandbox sandbox = new LocalSandbox("local-" + UUID.randomUUID().toString().substring(0, 8), sessionsDir,
                options, sandboxed, slots, pool);
        SANDBOXES.add(new WeakReference<>(sandbox));
        return sandbox;
    }

    /** The sandbox of this id, while it is open (for tests). */
    static java.util.Optional<LocalSandbox> sandbox(String id) {
        return SANDBOXES.stream().map(WeakReference::get)
                .filter(s -> s != null && !s.isClosed() && s.id().equals(id)).findFirst();
    }

    private static void checkDisks() {
        for (WeakReference<LocalSandbox> reference : SANDBOXES) {
            LocalSandbox sandbox = reference.get();
            if (sandbox == null || sandbox.isClosed()) {
                SANDBOXES.remove(reference);
            } else {
                try {
                    sandbox.checkDisk();
                } catch (RuntimeException e) {
                    java.util.logging.Logger.getLogger(LocalBackend.class.getName())
                            .log(java.util.logging.Level.WARNING, "Measuring " + sandbox + " failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        // Sessions are closed by the manager; kernels are owned by them. The warm pool's are the backend's.
        pool.close();
    }
}
