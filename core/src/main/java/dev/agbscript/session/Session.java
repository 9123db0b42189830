package dev.agbscript.session;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sandbox session as the AGB cloud has them: one sandbox running all four languages, state kept per
 * language. The backend's sandbox is created on the first execution. Executions of one language run one
 * at a time in arrival order; different languages run in parallel.
 */
public final class Session implements AutoCloseable {
    private final String name;
    private final Path workingFolder;
    private final SessionManager manager;
    private final Backend backend;
    private final Map<Language, ReentrantLock> kernelLocks = new EnumMap<>(Language.class);
    private final Instant created = Instant.now();
    private Sandbox sandbox;
    private volatile boolean closed;

    /** @param workingFolder where the kernels run (absolute), or null for the backend's own folder */
    Session(String name, Path workingFolder, SessionManager manager, Backend backend) {
        this.name = name;
        this.workingFolder = workingFolder;
        this.manager = manager;
        this.backend = backend;
        for (Language language : Language.values()) {
            kernelLocks.put(language, new ReentrantLock(true));
        }
    }

    /** The name it was requested by, or null for a private session. */
    public String name() {
        return name;
    }

    /** The host's folder the kernels run in, when one was chosen; else they run in the backend's own. */
    public Optional<Path> workingFolder() {
        return Optional.ofNullable(workingFolder);
    }

    public String backendName() {
        return backend.name();
    }

    /** The backend's id of the sandbox, once it exists. */
    public Optional<String> id() {
        Sandbox current = sandbox;
        return current == null ? Optional.empty() : Optional.of(current.id());
    }

    public Duration uptime() {
        return Duration.between(created, Instant.now());
    }

    public ExecutionResult execute(Language language, String code) throws InterruptedException {
        return execute(ExecutionRequest.of(language, code), ExecutionListener.NONE);
    }

    /**
     * Runs the code, waiting for earlier executions of the same language to finish first.
     *
     * @throws InterruptedException when the calling thread is interrupted while waiting or running
     * @throws SessionException     when the sandbox cannot run code
     * @throws IllegalStateException when the session is closed
     */
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        ReentrantLock lock = kernelLocks.get(request.language());
        lock.lockInterruptibly();
        try {
            return sandbox().execute(request, listener == null ? ExecutionListener.NONE : listener);
        } finally {
            lock.unlock();
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
        lock.lockInterruptibly();
        try {
            Sandbox current = sandbox;
            if (current != null) {
                current.restart(language);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the code is complete, as the language's kernel (started if need be) judges it. */
    public Completeness isComplete(Language language, String code) {
        return sandbox().isComplete(language, code);
    }

    /** Completions at the cursor from the language's kernel (started if need be). */
    public Completions complete(Language language, String code, int cursor) {
        return sandbox().complete(language, code, cursor);
    }

    /** The files of the session's working folder; the sandbox is created if need be. */
    public SessionFiles files() {
        return new SessionFiles() {
            @Override
            public void write(String path, byte[] content) {
                sandbox().writeFile(SessionFiles.checkRelative(path), java.util.Objects.requireNonNull(content));
            }

            @Override
            public byte[] read(String path) {
                return sandbox().readFile(SessionFiles.checkRelative(path));
            }

            @Override
            public java.util.List<FileEntry> list(String folder) {
                return sandbox().listFiles(SessionFiles.checkRelative(folder));
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
            sandbox = workingFolder == null ? backend.createSandbox() : backend.createSandbox(workingFolder);
        }
        return sandbox;
    }

    /** Deletes the sandbox. Idempotent. */
    @Override
    public void close() {
        Sandbox toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = sandbox;
        }
        manager.forget(this);
        if (toDelete != null) {
            toDelete.close();
        }
    }

    @Override
    public String toString() {
        return "Session{" + (name == null ? "private" : name) + ", " + backend.name()
                + id().map(id -> ", id=" + id).orElse("") + "}";
    }
}
