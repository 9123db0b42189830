package dev.agbscript.cloud;

import dev.agbscript.session.Sandbox;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A sandbox of the cloud backend: an AGB session holding all four languages. It outlives the service's
 * session: when the service has expired it (not found), the next execution creates a new one, logging a
 * warning that the state was lost. {@link #restart} likewise replaces the whole AGB session, since the
 * service has no per-language restart; {@link #interrupt} is not possible (no interrupt API). Closing
 * releases the AGB session and waits, bounded, for the service to confirm.
 */
final class CloudSandbox implements Sandbox {
    private static final Logger LOG = Logger.getLogger(CloudSandbox.class.getName());

    private final CloudBackend backend;
    private volatile AgbSession remote;
    private volatile boolean closed;

    CloudSandbox(CloudBackend backend) {
        this.backend = backend;
        try {
            this.remote = backend.newRemote();
        } catch (InterruptedException e) {
            throw interrupted("creating an AGB session");
        }
    }

    /** The AGB session id; it changes when an expired session is replaced. */
    @Override
    public String id() {
        return remote.id();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        checkOpen();
        AgbSession current = remote;
        try {
            return current.execute(request, listener);
        } catch (AgbApiException e) {
            if (!e.isSessionNotFound()) {
                throw e;
            }
            // The service never ran this code: the session was gone. Running it in a new one is safe.
            return replace(current, e.getMessage()).execute(request, listener);
        } catch (StreamChannel.StreamRejectedException e) {
            try {
                current.confirmExists();
            } catch (AgbApiException gone) {
                if (gone.isSessionNotFound()) {
                    return replace(current, gone.getMessage()).execute(request, listener);
                }
                throw gone;
            }
            throw new AgbTransportException("run_code stream: " + e.getMessage() + " for AGB session " + current.id(),
                    null, e.status, e);
        }
    }

    /** A new AGB session in place of {@code expired}, unless another thread replaced it already. */
    private synchronized AgbSession replace(AgbSession expired, String why) throws InterruptedException {
        checkOpen();
        if (remote != expired) {
            return remote;
        }
        expired.closeStream();
        AgbSession fresh = backend.newRemote();
        remote = fresh;
        Set<Language> lost = expired.startedLanguages();
        LOG.warning("AGB session " + expired.id() + " no longer exists on the service (" + why + "); created AGB "
                + "session " + fresh.id() + " in its place: the state of "
                + (lost.isEmpty() ? "the session" : lost.stream().map(Language::displayName)
                        .collect(Collectors.joining(", "))) + " was lost");
        return fresh;
    }

    /** The service cannot interrupt a run. */
    @Override
    public boolean interrupt(Language language) {
        return false;
    }

    /**
     * The service cannot restart one language: the whole AGB session is released and replaced, so every
     * language starts from scratch.
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

    private void release(AgbSession session, boolean awaitConfirmation) {
        session.closeStream();
        try {
            boolean confirmed = backend.release(session.id(), awaitConfirmation);
            if (!confirmed) {
                LOG.warning("AGB session " + session.id() + " was released but the service had not finished it after "
                        + backend.config().releaseWait().toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("Interrupted while releasing AGB session " + session.id());
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
