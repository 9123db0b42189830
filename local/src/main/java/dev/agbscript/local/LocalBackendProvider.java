package dev.agbscript.local;

import dev.agbscript.session.Backend;
import dev.agbscript.session.BackendProvider;

/** Offers the embedded sandbox: always available, and the default when nothing else is configured. */
public final class LocalBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Backend create() {
        return new LocalBackend();
    }
}
