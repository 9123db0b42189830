package dev.agbscript.session;

import java.nio.file.Path;

/**
 * Where sandbox sessions live: the embedded local sandbox or the AGB cloud. The {@link SessionManager}
 * is a backend's only client; engines never see one.
 */
public interface Backend extends AutoCloseable {
    /** A short name for logs and the REPL: {@code local}, {@code cloud}. */
    String name();

    /** Creates a sandbox. Kernels inside it may start lazily, on the first execution of each language. */
    Sandbox createSandbox();

    /** Whether {@link #createSandbox(Path)} can run kernels in a folder of the host's choice. */
    default boolean supportsWorkingFolder() {
        return false;
    }

    /**
     * Creates a sandbox whose kernels run in this folder of the host (absolute, existing): it is their current
     * directory, they may read and write in it, and it stays when the sandbox is deleted.
     *
     * @throws SessionException when the backend cannot (what it does unless it says it supports it)
     */
    default Sandbox createSandbox(Path workingFolder) {
        throw new SessionException("The " + name() + " backend cannot run kernels in a folder of the host's choice"
                + " (asked for " + workingFolder + "); leave the working folder unset");
    }

    /**
     * Offered once by the manager, before the first sandbox: the slots every kernel start and stop goes
     * through (see {@link KernelSlots}). A backend that will call them for every kernel it starts and stops
     * returns true. The default returns false: the manager then counts for the backend, holding a slot for each
     * language a session has used from its first use until the session's sandbox closes or the language
     * restarts, so the cap holds for backends that start one kernel per language lazily; and since it cannot
     * tell when a start ends, it counts the first use of a language as its start (its turn among the parallel
     * starts lasts until that use returns, 10 s at most).
     */
    default boolean useKernelSlots(KernelSlots slots) {
        return false;
    }

    /** Releases what the backend holds beyond its sessions (threads, connection pools). */
    @Override
    void close();
}
