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
     * Why the backend could not run kernels in this folder of the host (e.g. they may not write it), or empty when it
     * can; asked before {@link #createSandbox(Path)} by a host that would rather fall back to the backend's own folder.
     */
    default java.util.Optional<String> workingFolderProblem(Path workingFolder) {
        return supportsWorkingFolder() ? java.util.Optional.empty()
                : java.util.Optional.of("the " + name() + " backend cannot run kernels in a folder of the host's choice");
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
     * Creates a sandbox as the options ask: its working folder ({@link #createSandbox(Path)}), host folders mounted
     * into it, and per-session values of the backend's sandbox settings. The default honours a working folder only,
     * and throws {@link UnsupportedOperationException} naming what else was asked.
     */
    default Sandbox createSandbox(SandboxOptions options) {
        if (!options.mounts().isEmpty()) {
            throw new UnsupportedOperationException("The " + name() + " backend cannot mount host folders into a"
                    + " sandbox (" + SandboxOptions.MOUNTS + ")");
        }
        if (!options.settings().isEmpty()) {
            throw new UnsupportedOperationException("The " + name() + " backend has no per-session sandbox settings ("
                    + String.join(", ", options.settings().keySet()) + ")");
        }
        return options.workingFolder() == null ? createSandbox() : createSandbox(options.workingFolder());
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
