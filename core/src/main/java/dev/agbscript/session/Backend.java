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

    /** Releases what the backend holds beyond its sessions (threads, connection pools). */
    @Override
    void close();
}
