package dev.agbscript.session;

import java.lang.ref.Cleaner;
import java.nio.file.Path;

/**
 * An engine's hold on the session it runs in, from {@link SessionManager#hold}. A private session lives as long
 * as its hold: {@link #release()} closes it at once (the engine's {@code close()}), and when the holder (the
 * engine) becomes unreachable the manager reclaims it on its own, after a garbage collection, because JSR-223
 * hosts drop engines without closing them. A named session outlives its holds: it is shared by name and closes
 * with the manager (or after {@value SessionLimits#NAMED_IDLE}).
 *
 * <p>Nothing here refers to the holder, so the manager never keeps an engine reachable.
 */
public final class SessionHold {
    /** One daemon thread for the whole JVM: cleaning actions only hand the closing over to the manager. */
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "agb-session-reclaim");
        thread.setDaemon(true);
        return thread;
    });

    private final Held held;
    private final Cleaner.Cleanable cleanable;

    SessionHold(Object holder, SessionManager manager, String name, Path workingFolder) {
        this.held = new Held(manager, name, workingFolder);
        // Only private sessions are reclaimed; the action captures the held session, never the holder.
        this.cleanable = name == null ? CLEANER.register(holder, held) : null;
    }

    /** The held session, created on first use; a private one closed meanwhile is replaced by a new one. */
    public Session session() {
        return held.session();
    }

    /** The held session if one was created and is open, without creating one. */
    public Session current() {
        return held.current();
    }

    /** The name of the session held, or null for a private one. */
    public String name() {
        return held.name;
    }

    /** The holder is done: a private session is closed now, a named one stays. Idempotent. */
    public void release() {
        held.explicit = true;
        if (cleanable != null) {
            cleanable.clean(); // runs the action once, here, and forgets the holder
        } else {
            held.run();
        }
    }

    /** The state the cleaning action needs: the manager and the session, never the holder. */
    private static final class Held implements Runnable {
        private final SessionManager manager;
        private final String name;
        private final Path workingFolder;
        private Session session;
        private boolean released;
        private volatile boolean explicit;

        Held(SessionManager manager, String name, Path workingFolder) {
            this.manager = manager;
            this.name = name;
            this.workingFolder = workingFolder;
        }

        synchronized Session session() {
            if (released) {
                throw new IllegalStateException("The session hold was released");
            }
            if (session == null || session.isClosed()) {
                session = name == null ? manager.newSession(workingFolder) : manager.session(name, workingFolder);
            }
            return session;
        }

        synchronized Session current() {
            return session == null || session.isClosed() ? null : session;
        }

        @Override
        public void run() {
            Session toRelease;
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
                toRelease = name == null ? session : null;
                session = null;
            }
            if (toRelease == null) {
                return;
            }
            if (explicit) {
                toRelease.close();
            } else {
                manager.reclaim(toRelease);
            }
        }
    }
}
