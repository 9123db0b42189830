package dev.agbscript.session;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Owns the sandbox sessions of one backend. Sessions are created lazily (nothing starts until code runs),
 * executions are serialized per kernel, and every session is deleted on {@link #close()} and when the JVM
 * exits.
 *
 * <p>Hosts rarely close engines, so the manager also closes sessions on its own: a private session whose engine
 * became unreachable is reclaimed ({@link SessionHold}); kernels are capped, and a new kernel over the cap evicts
 * the least recently used idle private session or waits ({@link KernelSlots}); sandboxes idle past the settings are
 * closed ({@link SessionLimits}). {@link #stats()} tells what it holds and did; with the logger of this class at
 * DEBUG, every kernel start and stop logs those numbers too.
 *
 * <p>{@link #shared()} is the process-wide manager the engines use; tests and hosts that want their own
 * backend create one with {@link #create(Backend)}.
 */
public final class SessionManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SessionManager.class.getName());
    /** Closing a local sandbox mostly waits (up to half a second per kernel for it to exit): several at once. */
    private static final int CLOSING_THREADS = 4;
    private static SessionManager shared;

    private final Backend backend;
    private final SessionLimits limits;
    private final KernelBudget budget;
    /** True when the backend does not report its kernels: the sessions then take slots for it. */
    private final boolean countsForBackend;
    private final Map<String, Session> named = new ConcurrentHashMap<>();
    private final Map<Session, Boolean> open = new ConcurrentHashMap<>();
    private final LatencyWindow evals = new LatencyWindow();
    private final AtomicLong reclaims = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong idleCloses = new AtomicLong();
    private final ThreadPoolExecutor closer;
    private final ScheduledExecutorService idleWatch;
    private final Thread shutdownHook;
    private volatile Runnable unregisterMXBean = () -> {};
    private volatile boolean closed;

    private SessionManager(Backend backend, SessionLimits limits) {
        this.backend = backend;
        this.limits = limits;
        this.budget = new KernelBudget(limits, this::evictOne, this::logStats);
        this.countsForBackend = !backend.useKernelSlots(budget);
        this.closer = new ThreadPoolExecutor(CLOSING_THREADS, CLOSING_THREADS, 5, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("agb-session-closer"));
        closer.allowCoreThreadTimeOut(true);
        this.idleWatch = idleWatch(limits);
        this.shutdownHook = new Thread(this::closeQuietly, "agb-session-manager-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The process-wide manager, on the backend chosen by {@link BackendSelection} with the limits of the settings
     * ({@link SessionLimits#fromSettings()}); created on first use.
     */
    public static synchronized SessionManager shared() {
        if (shared == null || shared.closed) {
            shared = new SessionManager(BackendSelection.fromEnvironment(), SessionLimits.fromSettings());
            shared.registerMXBean(SessionManagerMXBeans.NAME);
        }
        return shared;
    }

    /** A manager of its own over the given backend, with the limits of the settings; close it when done. */
    public static SessionManager create(Backend backend) {
        return new SessionManager(backend, SessionLimits.fromSettings());
    }

    /** A manager of its own over the given backend, with these limits; close it when done. */
    public static SessionManager create(Backend backend, SessionLimits limits) {
        return new SessionManager(backend, limits);
    }

    public String backendName() {
        return backend.name();
    }

    /** The limits in force. */
    public SessionLimits limits() {
        return limits;
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

    /** A new private session, known to nobody else; the caller closes it (or it closes with the manager). */
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

    /**
     * A hold of the holder (an engine) on a session: the named one, or, when {@code name} is null, a private one
     * created on first use, closed when the hold is released or the holder becomes unreachable; its kernels run
     * in that folder of the host (null: the backend's own, see {@link Backend#createSandbox(Path)}).
     */
    public SessionHold hold(Object holder, String name, Path workingFolder) {
        checkOpen();
        return new SessionHold(java.util.Objects.requireNonNull(holder, "holder"), this, name, workingFolder);
    }

    /** The sessions open now. */
    public List<Session> sessions() {
        return new ArrayList<>(open.keySet());
    }

    /** What the manager holds and has done, now. */
    public SessionStats stats() {
        KernelBudget.Counts counts = budget.counts();
        return new SessionStats(backend.name(), open.size(), counts.live(), limits.maxKernels(), counts.starting(),
                counts.queued(), counts.pool(), counts.starts(), budget.startTimes(), budget.waits(), counts.waitFailures(),
                reclaims.get(), evictions.get(), idleCloses.get(), evals.percentiles());
    }

    /** Shows {@link #stats()} to JMX under the name until the manager closes. */
    void registerMXBean(String name) {
        unregisterMXBean = SessionManagerMXBeans.register(this, name);
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

    /** The budget sessions take slots from, or null when the backend takes them itself. */
    KernelBudget countingBudget() {
        return countsForBackend ? budget : null;
    }

    void evalTook(long nanos) {
        evals.add(nanos);
    }

    /**
     * The holder of this private session became unreachable: closed on a closing thread (the cleaner's thread
     * must not wait for kernels to stop), its slots counted as about to be freed meanwhile.
     */
    void reclaim(Session session) {
        if (closed || session.isClosed()) {
            return;
        }
        budget.beginFreeing();
        try {
            closer.execute(() -> {
                try {
                    String described = session.toString();
                    boolean hadSandbox = session.hasSandbox();
                    reclaims.incrementAndGet(); // before its slots free: whoever gets one sees the count
                    session.close();
                    if (hadSandbox) {
                        LOG.log(Level.INFO, () -> "Reclaimed " + described + ": its engine was dropped without"
                                + " close(), so its sandbox was deleted (kernels stopped, files removed)");
                    }
                    logStats("session reclaimed");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not close the reclaimed session " + session, e);
                } finally {
                    budget.endFreeing();
                }
            });
        } catch (RejectedExecutionException shutDown) {
            budget.endFreeing(); // the manager is closing, and closes the session itself
        }
    }

    /**
     * Closes the sandbox of the least recently used private session that holds kernels, runs nothing and has been
     * idle for at least {@link SessionLimits#evictAfter()}. Named sessions are never evicted: others may count on
     * their state.
     */
    private boolean evictOne() {
        Duration least = limits.evictAfter().orElse(null);
        if (least == null || closed) {
            return false;
        }
        record Candidate(Session session, Duration idle, Set<Language> kernels) {}
        List<Candidate> candidates = open.keySet().stream()
                .filter(s -> s.name() == null && !s.isClosed())
                .map(s -> new Candidate(s, s.idle(), kernelLanguages(s))) // idle is zero while in use: refused below
                .filter(c -> c.idle().compareTo(least) >= 0 && !c.kernels().isEmpty())
                .sorted(Comparator.comparing(Candidate::idle).reversed())
                .toList();
        for (Candidate candidate : candidates) {
            Session session = candidate.session();
            String described = session + " (idle " + seconds(candidate.idle()) + ", kernels "
                    + candidate.kernels().stream().map(Language::id).collect(Collectors.joining(", ")) + ")";
            budget.beginFreeing();
            try {
                if (session.closeSandboxIfIdle("evicted after " + seconds(candidate.idle()) + " idle to make room for a"
                        + " new kernel, " + SessionLimits.MAX_KERNELS + "=" + limits.maxKernels())) {
                    evictions.incrementAndGet();
                    LOG.log(Level.INFO, () -> "Evicted " + described + " to make room for a new kernel: "
                            + limits.maxKernels() + " kernels are live, the most " + SessionLimits.MAX_KERNELS
                            + " allows; its next run starts in a new sandbox");
                    logStats("session evicted");
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not close the sandbox of " + session, e);
            } finally {
                budget.endFreeing();
            }
        }
        return false;
    }

    /** A backend that fails to say what runs there makes its session no candidate, not the caller's run fail. */
    private static Set<Language> kernelLanguages(Session session) {
        try {
            return session.kernelLanguages();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Cannot tell which kernels " + session + " runs", e);
            return Set.of();
        }
    }

    private ScheduledExecutorService idleWatch(SessionLimits limits) {
        Duration shortest = limits.privateIdle().orElse(null);
        if (limits.namedIdle().isPresent() && (shortest == null || limits.namedIdle().get().compareTo(shortest) < 0)) {
            shortest = limits.namedIdle().get();
        }
        if (shortest == null) {
            return null;
        }
        // Look four times per idle time (between 10 ms and a second): a session closes at most a quarter late.
        long period = Math.max(10, Math.min(1000, shortest.toMillis() / 4));
        ScheduledThreadPoolExecutor watch = new ScheduledThreadPoolExecutor(1, daemon("agb-session-idle"));
        watch.scheduleWithFixedDelay(this::closeIdleSandboxes, period, period, TimeUnit.MILLISECONDS);
        return watch;
    }

    private void closeIdleSandboxes() {
        for (Session session : sessions()) {
            Duration limit = (session.name() == null ? limits.privateIdle() : limits.namedIdle()).orElse(null);
            if (closed || limit == null || !session.hasSandbox()) {
                continue;
            }
            Duration idle = session.idle();
            if (idle.isZero() || idle.compareTo(limit) < 0) {
                continue;
            }
            String setting = session.name() == null ? SessionLimits.PRIVATE_IDLE : SessionLimits.NAMED_IDLE;
            String described = session.toString();
            budget.beginFreeing();
            try {
                if (session.closeSandboxIfIdle("closed after " + seconds(idle) + " idle, " + setting + "="
                        + seconds(limit))) {
                    idleCloses.incrementAndGet();
                    LOG.log(Level.INFO, () -> "Closed " + described + " after " + seconds(idle) + " idle (" + setting
                            + "=" + seconds(limit) + "): kernels stopped, files removed; its next run starts in a new"
                            + " sandbox");
                    logStats("idle session closed");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not close the sandbox of idle " + session, e);
            } finally {
                budget.endFreeing();
            }
        }
    }

    private void logStats(String event) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, event + ": " + stats());
        }
    }

    /** {@code 150 ms}, {@code 2.5 s}, {@code 10.0 min}, {@code 1.5 h}: as a person reads a log. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        double seconds = millis / 1000.0;
        return seconds < 60 ? String.format(java.util.Locale.ROOT, "%.1f s", seconds)
                : seconds < 3600 ? String.format(java.util.Locale.ROOT, "%.1f min", seconds / 60)
                : String.format(java.util.Locale.ROOT, "%.1f h", seconds / 3600);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
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
        budget.close();
        unregisterMXBean.run();
        if (idleWatch != null) {
            idleWatch.shutdownNow();
        }
        for (Session session : sessions()) {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not delete session " + session, e);
            }
        }
        closer.shutdown();
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not close backend " + backend.name(), e);
        }
    }
}
