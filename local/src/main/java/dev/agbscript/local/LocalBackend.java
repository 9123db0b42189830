package dev.agbscript.local;

import dev.agbscript.session.Backend;
import dev.agbscript.session.Sandbox;
import dev.agbscript.session.Settings;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The embedded sandbox: sessions are private directories with real Jupyter kernels on this machine,
 * spoken to directly over ZeroMQ. Session directories live under {@code -Dagb.local.dir} or
 * {@code AGB_LOCAL_DIR}, else {@code $TMPDIR/agb-script}.
 */
public final class LocalBackend implements Backend {
    private final Path sessionsDir;

    public LocalBackend() {
        this(defaultSessionsDir());
    }

    public LocalBackend(Path sessionsDir) {
        this.sessionsDir = sessionsDir;
    }

    private static Path defaultSessionsDir() {
        String configured = Settings.get("agb.local.dir", "AGB_LOCAL_DIR");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "agb-script");
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Sandbox createSandbox() {
        return new LocalSandbox("local-" + UUID.randomUUID().toString().substring(0, 8), sessionsDir);
    }

    @Override
    public void close() {
        // Sessions are closed by the manager; kernels are owned by them.
    }
}
