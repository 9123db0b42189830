package dev.agbscript.cloud;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.SessionFiles;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A sandbox of the cloud backend: an AGB session holding all four languages, created for it or, with
 * {@link CloudConfig#sessionId()}, an existing one it attached to. It outlives the service's session: when
 * that is gone (released, expired, reclaimed, past its 30-minute lifetime), the next call creates a new one,
 * logging a warning that the state was lost, and makes the call there if it never reached the old one.
 * {@link #restart} likewise replaces the whole AGB session, since the service has no per-language restart;
 * {@link #interrupt} is not possible (no interrupt API). Closing releases the AGB session it created and
 * waits, bounded, for the service to confirm; an attached session is left running unless
 * {@link CloudConfig#releaseAttached()}.
 */
final class CloudSandbox implements Sandbox {
    private static final Logger LOG = Logger.getLogger(CloudSandbox.class.getName());

    private final CloudBackend backend;
    private final CloudFiles files;
    private volatile AgbSession remote;
    private volatile boolean closed;

    CloudSandbox(CloudBackend backend) {
        this.backend = backend;
        this.files = new CloudFiles(backend.config().workDir(), backend.config().timeout());
        try {
            String attach = backend.config().sessionId();
            this.remote = attach != null ? backend.attachRemote(attach) : backend.newRemote();
        } catch (InterruptedException e) {
            throw interrupted("creating an AGB session");
        }
    }

    /** The AGB session id; it changes when a gone session is replaced. */
    @Override
    public String id() {
        return remote.id();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        return withSession(session -> session.execute(request, listener));
    }

    private interface Work<T> {
        T on(AgbSession session) throws InterruptedException;
    }

    /**
     * The work on the current AGB session: one known to be gone is replaced first; when the work finds it
     * gone without having reached it, it is replaced and the work done again there, once.
     */
    private <T> T withSession(Work<T> work) throws InterruptedException {
        checkOpen();
        AgbSession current = remote;
        if (current.goneReason() != null) {
            current = replace(current);
        }
        try {
            return work.on(current);
        } catch (SessionGoneException e) {
            AgbSession fresh = replace(current);
            try {
                return work.on(fresh);
            } catch (SessionGoneException again) {
                // A brand-new session gone at once: the service, not the session, is failing. Say what it said.
                throw again.getCause() instanceof AgbException cause ? cause
                        : new AgbTransportException("AGB session " + fresh.id() + " is gone: " + again.getMessage(),
                                null, 0, again);
            }
        }
    }

    /** A new AGB session in place of a gone one, unless another thread replaced it already. */
    private synchronized AgbSession replace(AgbSession gone) throws InterruptedException {
        checkOpen();
        if (remote != gone) {
            return remote;
        }
        AgbSession fresh = backend.newRemote();
        remote = fresh;
        Set<Language> lost = gone.startedLanguages();
        LOG.warning("AGB session " + gone.id() + " is gone (" + gone.goneReason() + "); created AGB session "
                + fresh.id() + " in its place: the state of "
                + (lost.isEmpty() ? "the session" : lost.stream().map(Language::displayName)
                        .collect(Collectors.joining(", "))) + " was lost");
        // Gone by the service's word; released all the same, so that no session is left behind if it erred.
        release(gone, false);
        return fresh;
    }

    /** The service cannot interrupt a run. */
    @Override
    public boolean interrupt(Language language) {
        return false;
    }

    /**
     * The service cannot restart one language: the whole AGB session is replaced (and released, when this
     * sandbox created it), so every language starts from scratch.
     */
    @Override
    public void restart(Language language) {
        AgbSession old;
        synchronized (this) {
            checkOpen();
            old = remote;
            try {
                remote = backend.newRemote();
            } catch (InterruptedException e) {
                throw interrupted("replacing AGB session " + old.id());
            }
        }
        release(old, false);
    }

    /** The languages that have run in the current AGB session. */
    @Override
    public Set<Language> runningLanguages() {
        return remote.startedLanguages();
    }

    @Override
    public void writeFile(String path, byte[] content) {
        fileWork("writing " + path, session -> {
            files.write(session::callTool, path, content);
            return null;
        });
    }

    @Override
    public byte[] readFile(String path) {
        return fileWork("reading " + path, session -> files.read(session::callTool, path));
    }

    @Override
    public List<SessionFiles.FileEntry> listFiles(String folder) {
        return fileWork("listing " + (folder.isEmpty() ? "the working folder" : folder),
                session -> files.list(session::callTool, folder));
    }

    private <T> T fileWork(String what, Work<T> work) {
        try {
            return withSession(work);
        } catch (InterruptedException e) {
            throw interrupted(what);
        }
    }

    @Override
    public void close() {
        AgbSession last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = remote;
        }
        release(last, true);
    }

    /** Stops the session's stream and keep-alive; releases it when it is this sandbox's to release. */
    private void release(AgbSession session, boolean awaitConfirmation) {
        session.close();
        if (!session.owned() && !backend.config().releaseAttached()) {
            LOG.fine(() -> "AGB session " + session.id() + " was attached, not created: left running");
            return;
        }
        try {
            boolean confirmed = backend.release(session.id(), awaitConfirmation);
            if (!confirmed) {
                LOG.warning("AGB session " + session.id() + " was released but the service had not finished it after "
                        + backend.config().releaseWait().toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("Interrupted while releasing AGB session " + session.id());
        } catch (AgbApiException e) {
            Level level = e.isSessionNotFound() ? Level.FINE : Level.WARNING;
            LOG.log(level, "Could not release AGB session " + session.id() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not release AGB session " + session.id() + ": " + e.getMessage(), e);
        }
    }

    /** Creating or replacing a session is blocking I/O; an interrupt keeps its flag and ends it. */
    private static SessionException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new SessionException("Interrupted while " + what);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("AGB session " + remote.id() + " is closed");
        }
    }

    @Override
    public String toString() {
        return "CloudSandbox{" + remote.info() + "}";
    }
}
