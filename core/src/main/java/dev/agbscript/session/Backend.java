package dev.agbscript.session;

/**
 * Where sandbox sessions live: the embedded local sandbox or the AGB cloud. The {@link SessionManager}
 * is a backend's only client; engines never see one.
 */
public interface Backend extends AutoCloseable {
    /** A short name for logs and the REPL: {@code local}, {@code cloud}. */
    String name();

    /** Creates a sandbox. Kernels inside it may start lazily, on the first execution of each language. */
    Sandbox createSandbox();

    /** Releases what the backend holds beyond its sessions (threads, connection pools). */
    @Override
    void close();
}
