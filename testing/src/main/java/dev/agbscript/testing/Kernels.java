package dev.agbscript.testing;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngineFactory;
import dev.agbscript.session.BackendSelection;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.util.ArrayList;
import java.util.List;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared setup of tests that run code: a {@link SessionManager} of their own on the backend under test,
 * opened before the class's first test and closed (every session deleted) after its last.
 *
 * <pre>{@code @RegisterExtension static final Kernels kernels = new Kernels();}</pre>
 *
 * <p>The backend is the one {@link BackendSelection} picks, so a module chooses it for its whole test run with
 * the system property {@code agb.backend} (the local module's tests run on {@code local}, the gateway's on
 * {@code gateway}); the same test classes thus check every backend.
 */
public final class Kernels implements BeforeAllCallback, AfterAllCallback {
    private final List<SessionManager> extra = new ArrayList<>();
    private SessionManager manager;

    @Override
    public void beforeAll(ExtensionContext context) {
        manager = newManager();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        manager.close();
        extra.forEach(SessionManager::close);
        extra.clear();
    }

    /** The class's manager. */
    public SessionManager manager() {
        return manager;
    }

    /** Another manager on the same kind of backend (closed after the class), for tests about managers. */
    public synchronized SessionManager newManager() {
        SessionManager created = SessionManager.create(BackendSelection.fromEnvironment());
        if (manager != null) {
            extra.add(created);
        }
        return created;
    }

    /** A new engine (a new private session) of the class's manager. */
    public AgbScriptEngine engine(Language language) {
        return factory(language).getScriptEngine(manager);
    }

    /** A new engine of the class's manager, found by any of its names as a host would find it. */
    public AgbScriptEngine engine(String name) {
        ScriptEngineFactory found = new ScriptEngineManager().getEngineByName(name).getFactory();
        return ((AgbScriptEngineFactory) found).getScriptEngine(manager);
    }

    /**
     * Whether the backend under test tells a dead kernel's exit code. A gateway does not (its server restarts the
     * kernel and says only that it did): its module runs the kit with {@code -Dagb.conformance.exitCodes=false}.
     */
    public static boolean reportsExitCodes() {
        return !"false".equals(System.getProperty("agb.conformance.exitCodes"));
    }

    /**
     * Whether the backend under test mounts host folders into its sandboxes ({@code agb.mounts}), which hide all
     * others. A gateway does not (its kernels see the server's folders): its module says
     * {@code -Dagb.conformance.mounts=false}.
     */
    public static boolean mountsHostFolders() {
        return !"false".equals(System.getProperty("agb.conformance.mounts"));
    }

    /**
     * Skips the calling test unless the kernels run on this machine, as the test needs (it reads their process ids,
     * or has them read the host's files). They do for the local backend and for a gateway on loopback; a run against
     * a remote gateway says {@code -Dagb.conformance.remoteKernels=true}.
     */
    public static void assumeKernelsOnThisMachine() {
        org.junit.jupiter.api.Assumptions.assumeFalse("true".equals(System.getProperty("agb.conformance.remoteKernels")),
                "the kernels run on another machine (agb.conformance.remoteKernels): no process ids or host files");
    }

    /** The registered factory of the language, as {@code ScriptEngineManager} finds it. */
    public static AgbScriptEngineFactory factory(Language language) {
        for (ScriptEngineFactory factory : new ScriptEngineManager().getEngineFactories()) {
            if (factory instanceof AgbScriptEngineFactory agb && agb.language() == language) {
                return agb;
            }
        }
        throw new IllegalStateException("No agb-script factory for " + language + " on the class path");
    }
}
