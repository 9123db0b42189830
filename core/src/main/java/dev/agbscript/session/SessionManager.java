package dev.agbscript.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the sandbox sessions of one backend. Sessions are created lazily (nothing starts until code runs),
 * executions are serialized per kernel, and every session is deleted on {@link #close()} and when the JVM
 * exits.
 *
 * <p>{@link #shared()} is the process-wide manager the engines use; tests and hosts that want their own
 * backend create one with {@link #create(Backend)}.
 */
public final class SessionManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionManager.class.getName());
    private static SessionManager shared;

    private final Backend backend;
    private final Map<String, Session> named = new ConcurrentHashMap<>();
    private final Map<Session, Boolean> open = new ConcurrentHashMap<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private SessionManager(Backend backend) {
        this.backend = backend;
        this.shutdownHook = new Thread(this::closeQuietly, "agb-session-manager-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The process-wide manager, on the backend chosen by {@link BackendSelection}; created on first use. */
    public static synchronized SessionManager shared() {
        if (shared == null || shared.closed) {
            shared = new SessionManager(BackendSelection.fromEnvironment());
        }
        return shared;
    }

    /** A manager of its own over the given backend; close it when done (the JVM exit closes it too). */
    public static SessionManager create(Backend backend) {
        return new SessionManager(backend);
    }

    public String backendName() {
        return backend.name();
    }

    /** The session with this name, created (lazily) on first request; engines that share a name share state. */
    public Session session(String name) {
        return session(name, null);
    }

    /**
     * The session with this name, created on first request with its kernels in that folder of the host (null:
     * the backend's own folder, see {@link Backend#createSandbox(Path)}).
     *
     * @throws IllegalArgumentException when the session exists already with another working folder
     */
    public Session session(String name, Path workingFolder) {
        checkOpen();
        Path folder = absolute(workingFolder);
        Session session = named.computeIfAbsent(name, n -> register(new Session(n, folder, this, backend)));
        if (folder != null && !session.workingFolder().equals(Optional.of(folder))) {
            throw new IllegalArgumentException("Session '" + name + "' runs in "
                    + session.workingFolder().map(Path::toString).orElse("the backend's own folder")
                    + " already, not in " + folder);
        }
        return session;
    }

    /** A new private session, known to nobody else. */
    public Session newSession() {
        return newSession(null);
    }

    /** A new private session whose kernels run in that folder of the host (null: the backend's own folder). */
    public Session newSession(Path workingFolder) {
        checkOpen();
        return register(new Session(null, absolute(workingFolder), this, backend));
    }

    /** Whether sessions can have a working folder of the host's choice on this backend. */
    public boolean supportsWorkingFolder() {
        return backend.supportsWorkingFolder();
    }

    private static Path absolute(Path folder) {
        if (folder == null) {
            return null;
        }
        Path path = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("The working folder " + path + " is no existing folder");
        }
        return path;
    }

    /** The sessions open now. */
    public List<Session> sessions() {
        return new ArrayList<>(open.keySet());
    }

    private Session register(Session session) {
        open.put(session, Boolean.TRUE);
        return session;
    }

    void forget(Session session) {
        open.remove(session);
        if (session.name() != null) {
            named.remove(session.name(), session);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The session manager is closed");
        }
    }

    /** Deletes every session and releases the backend. Idempotent. */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            // the JVM is exiting; the hook is running or has run
        }
    }

    private void closeQuietly() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Session session : sessions()) {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not delete session " + session, e);
            }
        }
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not close backend " + backend.name(), e);
        }
    }
}
