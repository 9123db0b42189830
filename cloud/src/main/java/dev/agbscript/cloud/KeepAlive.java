package dev.agbscript.cloud;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one AGB session from its idle release while a sandbox holds it: {@code refreshSessionIdleTime}
 * (the SDK's {@code keep_alive}) every interval, an interval below the idle timeout. Status polling would
 * not do: it does not reset the idle timer. It stops when cancelled (the session is closed or replaced) or
 * when the service answers that the session is gone (reclaimed), which it reports to the session.
 *
 * <p>It cannot keep a session past the service's maximum lifetime (30 minutes): the service ends the
 * session then, and the next execution creates a new one.
 */
final class KeepAlive {
    private static final Logger LOG = Logger.getLogger(KeepAlive.class.getName());

    private final AgbClient client;
    private final AgbSession session;
    private final ScheduledFuture<?> task;
    /** Held by a refresh while it runs, so that {@link #cancel} returns only when none is in flight. */
    private final Object lock = new Object();
    private boolean cancelled;

    private KeepAlive(AgbClient client, AgbSession session, ScheduledExecutorService scheduler, Duration interval) {
        this.client = client;
        this.session = session;
        this.task = scheduler.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts refreshing, or returns null when the interval is zero (keep-alive off). */
    static KeepAlive start(AgbClient client, AgbSession session, ScheduledExecutorService scheduler,
                           Duration interval) {
        return interval.isZero() ? null : new KeepAlive(client, session, scheduler, interval);
    }

    private void refresh() {
        synchronized (lock) {
            if (!cancelled) {
                refreshNow();
            }
        }
    }

    private void refreshNow() {
        try {
            client.refreshIdleTime(session.id());
        } catch (AgbApiException e) {
            if (e.isSessionNotFound()) {
                session.markGone("the service reclaimed it (" + e.getMessage() + ")");
                cancel();
                return;
            }
            LOG.warning("Keep-alive of AGB session " + session.id() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the scheduler is shutting down
        } catch (RuntimeException e) {
            // A failed refresh is retried at the next tick; the session may still be idle-released.
            LOG.log(Level.WARNING, "Keep-alive of AGB session " + session.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops refreshing; when it returns, no refresh is running or will run. */
    void cancel() {
        task.cancel(false);
        synchronized (lock) {
            cancelled = true;
        }
    }
}
