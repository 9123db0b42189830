package dev.agbscript.session;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sandbox session as the AGB cloud has them: one sandbox running all four languages, state kept per
 * language. The backend's sandbox is created on the first execution. Executions of one language run one
 * at a time in arrival order; different languages run in parallel.
 *
 * <p>The manager may close the sandbox of an idle session (to make room for a new kernel, or after the idle
 * time the settings give, see {@link SessionLimits}): the session stays open, and its next use creates a new
 * sandbox, with a warning that the state of before is gone.
 */
public final class Session implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final String name;
    private final SandboxOptions options;
    private final SessionManager manager;
    private final Backend backend;
    private final Map<Language, ReentrantLock> kernelLocks = new EnumMap<>(Language.class);
    /** Per language, so that two first uses of one language take one slot, not two. */
    private final Map<Language, ReentrantLock> slotLocks = new EnumMap<>(Language.class);
    private final Instant created = Instant.now();
    /** The slots the manager holds for this session's kernels, when it counts for the backend. */
    private final Map<Language, KernelLease> leases = new EnumMap<>(Language.class);
    private volatile Sandbox sandbox;
    private volatile boolean closed;
    /** Calls using the sandbox now (or about to): the manager never closes the sandbox of a busy session. */
    private int inUse;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long sandboxResets;
    /** Why the manager closed the sandbox, until the next use has said so. */
    private String sandboxClosedBecause;

    Session(String name, SandboxOptions options, SessionManager manager, Backend backend) {
        this.name = name;
        this.options = options;
        this.manager = manager;
        this.backend = backend;
        for (Language language : Language.values()) {
            kernelLocks.put(language, new ReentrantLock(true));
            slotLocks.put(language, new ReentrantLock());
        }
    }

    /** The name it was requested by, or null for a private session. */
    public String name() {
        return name;
    }

    /** The host's folder the kernels run in, when one was chosen; else they run in the backend's own. */
    public Optional<Path> workingFolder() {
        return Optional.ofNullable(options.workingFolder());
    }

    /** What the sandbox was asked for: working folder, mounts, per-session settings. */
    public SandboxOptions options() {
        return options;
    }

    public String backendName() {
        return backend.name();
    }

    /** The manager this session belongs to. */
    public SessionManager manager() {
        return manager;
    }

    /** The backend's id of the sandbox, once it exists. */
    public Optional<String> id() {
        Sandbox current = sandbox;
        return current == null ? Optional.empty() : Optional.of(current.id());
    }

    public Duration uptime() {
        return Duration.between(created, Instant.now());
    }

    /** How long since the session was last used (now, when it is in use). */
    public Duration idle() {
        synchronized (this) {
            if (inUse > 0) {
                return Duration.ZERO;
            }
        }
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastUsedNanos));
    }

    /**
     * How many times the manager closed this session's sandbox (eviction, idle time). A caller that saw another
     * number before knows that the kernels' state of then is gone.
     */
    public long sandboxResets() {
        return sandboxResets;
    }

    public ExecutionResult execute(Language language, String code) throws InterruptedException {
        return execute(ExecutionRequest.of(language, code), ExecutionListener.NONE);
    }

    /**
     * Runs the code, waiting for earlier executions of the same language to finish first, and for a kernel slot
     * when the language's kernel is not running yet and the cap is reached.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting or running
     * @throws SessionException     when the sandbox cannot run code, or no kernel slot came in time
     * @throws IllegalStateException when the session is closed
     */
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        try (Use use = use()) {
            return use.execute(request, listener);
        }
    }

    /**
     * Marks the session in use until the returned {@link Use} is closed, so that the manager does not close its
     * sandbox in between calls that belong together (an engine's bindings, then its code).
     *
     * @throws IllegalStateException when the session is closed
     */
    public Use use() {
        String lost;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Session " + this + " is closed");
            }
            inUse++;
            lastUsedNanos = System.nanoTime();
            lost = sandboxClosedBecause;
            sandboxClosedBecause = null;
        }
        if (lost != null) {
            LOG.log(System.Logger.Level.WARNING, () -> this + ": its sandbox was closed (" + lost + "), so this run"
                    + " starts in a new one: the variables, functions and files of before are gone");
        }
        return new Use();
    }

    /** A span of use of the session; closing it ends the span. */
    public final class Use implements AutoCloseable {
        private final long began = System.nanoTime();
        private boolean ended;

        private Use() {}

        /** The session in use. */
        public Session session() {
            return Session.this;
        }

        /**
         * {@link Session#execute(ExecutionRequest, ExecutionListener)} within this span: the latency of a request that
         * is not silent counts from the span's beginning, so an engine's eval counts its bindings (and the kernel's
         * start they may cause) too.
         */
        public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener)
                throws InterruptedException {
            synchronized (Session.this) {
                if (ended) {
                    throw new IllegalStateException("This use of " + Session.this + " has ended");
                }
            }
            ReentrantLock lock = kernelLocks.get(request.language());
            lock.lockInterruptibly();
            KernelBudget.Lease firstUse = null;
            try {
                firstUse = claimSlot(request.language());
                ExecutionResult result = sandbox().execute(request,
                        listener == null ? ExecutionListener.NONE : listener);
                if (!request.silent()) {
                    manager.evalTook(System.nanoTime() - began);
                }
                return result;
            } finally {
                endTurn(firstUse);
                lock.unlock();
            }
        }

        @Override
        public void close() {
            synchronized (Session.this) {
                if (!ended) {
                    ended = true;
                    inUse--;
                    lastUsedNanos = System.nanoTime();
                }
            }
        }
    }

    /** Interrupts the code running in that language, if any. */
    public boolean interrupt(Language language) {
        Sandbox current = sandbox;
        return current != null && current.interrupt(language);
    }

    /** Throws away that language's state; waits for a running execution of it to end first. */
    public void restart(Language language) throws InterruptedException {
        ReentrantLock lock = kernelLocks.get(language);
        interrupt(language);
        try (Use use = use()) {
            lock.lockInterruptibly();
            try {
                Sandbox current = sandbox;
                if (current != null) {
                    current.restart(language);
                }
                releaseSlot(language); // the kernel stopped; its next use takes a slot again
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether the code is complete, as the language's kernel (started if need be) judges it. */
    public Completeness isComplete(Language language, String code) {
        try (Use use = use()) {
            KernelBudget.Lease firstUse = claimSlotUninterrupted(language);
            try {
                return sandbox().isComplete(language, code);
            } finally {
                endTurn(firstUse);
            }
        }
    }

    /** Completions at the cursor from the language's kernel (started if need be). */
    public Completions complete(Language language, String code, int cursor) {
        try (Use use = use()) {
            KernelBudget.Lease firstUse = claimSlotUninterrupted(language);
            try {
                return sandbox().complete(language, code, cursor);
            } finally {
                endTurn(firstUse);
            }
        }
    }

    /** What the name at the cursor is, from the language's kernel (started if need be); see {@link Sandbox#inspect}. */
    public Optional<MimeBundle> inspect(Language language, String code, int cursor, boolean detailed) {
        try (Use use = use()) {
            KernelBudget.Lease firstUse = claimSlotUninterrupted(language);
            try {
                return sandbox().inspect(language, code, cursor, detailed);
            } finally {
                endTurn(firstUse);
            }
        }
    }

    /** The files of the session's working folder; the sandbox is created if need be. */
    public SessionFiles files() {
        return new SessionFiles() {
            @Override
            public void write(String path, byte[] content) {
                try (Use use = use()) {
                    sandbox().writeFile(SessionFiles.checkRelative(path), java.util.Objects.requireNonNull(content));
                }
            }

            @Override
            public byte[] read(String path) {
                try (Use use = use()) {
                    return sandbox().readFile(SessionFiles.checkRelative(path));
                }
            }

            @Override
            public java.util.List<FileEntry> list(String folder) {
                try (Use use = use()) {
                    return sandbox().listFiles(SessionFiles.checkRelative(folder));
                }
            }
        };
    }

    public Set<Language> runningLanguages() {
        Sandbox current = sandbox;
        return current == null ? Set.of() : current.runningLanguages();
    }

    public Optional<String> languageVersion(Language language) {
        Sandbox current = sandbox;
        return current == null ? Optional.empty() : current.languageVersion(language);
    }

    public boolean isClosed() {
        return closed;
    }

    private synchronized Sandbox sandbox() {
        if (closed) {
            throw new IllegalStateException("Session " + this + " is closed");
        }
        if (sandbox == null) {
            sandbox = options.equals(SandboxOptions.DEFAULTS) ? backend.createSandbox() : backend.createSandbox(options);
        }
        return sandbox;
    }

    // ---- Kernel slots, when the manager counts for the backend ----

    /**
     * Takes a slot for the language's kernel unless one is held, before its first use starts it; that use holds a
     * turn among the starts until it returns. The new lease, whose turn the caller ends, or null.
     */
    private KernelBudget.Lease claimSlot(Language language) throws InterruptedException {
        KernelBudget budget = manager.countingBudget();
        if (budget == null) {
            return null;
        }
        ReentrantLock lock = slotLocks.get(language);
        lock.lockInterruptibly();
        try {
            synchronized (this) {
                if (leases.containsKey(language)) {
                    return null;
                }
            }
            KernelBudget.Lease lease = budget.acquireForFirstUse(language);
            synchronized (this) {
                if (!closed) {
                    leases.put(language, lease);
                    return lease;
                }
            }
            lease.close();
            throw new IllegalStateException("Session " + this + " is closed");
        } finally {
            lock.unlock();
        }
    }

    private static void endTurn(KernelBudget.Lease firstUse) {
        if (firstUse != null) {
            firstUse.endTurn();
        }
    }

    /** For the calls that cannot throw InterruptedException: the interrupt is kept and reported as a failure. */
    private KernelBudget.Lease claimSlotUninterrupted(Language language) {
        try {
            return claimSlot(language);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("Interrupted while waiting for a kernel slot", e);
        }
    }

    private void releaseSlot(Language language) {
        KernelLease lease;
        synchronized (this) {
            lease = leases.remove(language);
        }
        if (lease != null) {
            lease.close();
        }
    }

    /** The languages whose kernels hold slots (the manager's or the backend's), so that closing the sandbox frees them. */
    Set<Language> kernelLanguages() {
        Set<Language> languages = java.util.EnumSet.noneOf(Language.class);
        synchronized (this) {
            if (sandbox == null) {
                return languages;
            }
            languages.addAll(leases.keySet());
        }
        languages.addAll(runningLanguages());
        return languages;
    }

    /** Whether the session has a sandbox now. */
    synchronized boolean hasSandbox() {
        return sandbox != null;
    }

    /**
     * Closes the sandbox (kernels stopped, folder deleted) when nothing uses the session; it stays open and its
     * next use creates a new sandbox. False when it is in use, closed, or has no sandbox.
     */
    boolean closeSandboxIfIdle(String reason) {
        Sandbox toClose;
        List<KernelLease> toRelease;
        synchronized (this) {
            if (closed || inUse > 0 || sandbox == null) {
                return false;
            }
            toClose = sandbox;
            sandbox = null;
            sandboxResets++;
            sandboxClosedBecause = reason;
            toRelease = new ArrayList<>(leases.values());
            leases.clear();
        }
        closeThenRelease(toClose, toRelease);
        return true;
    }

    /** Deletes the sandbox. Idempotent. */
    @Override
    public void close() {
        Sandbox toDelete;
        List<KernelLease> toRelease;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = sandbox;
            sandbox = null;
            toRelease = new ArrayList<>(leases.values());
            leases.clear();
        }
        manager.forget(this);
        closeThenRelease(toDelete, toRelease);
    }

    /** The slots are freed once the kernels are gone, so that the live kernels never exceed the cap. */
    private static void closeThenRelease(Sandbox sandbox, List<KernelLease> leases) {
        try {
            if (sandbox != null) {
                sandbox.close();
            }
        } finally {
            leases.forEach(KernelLease::close);
        }
    }

    @Override
    public String toString() {
        return "Session{" + (name == null ? "private" : name) + ", " + backend.name()
                + id().map(id -> ", id=" + id).orElse("") + "}";
    }
}
