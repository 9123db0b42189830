package dev.agbscript.cloud;

import dev.agbscript.session.Backend;
import dev.agbscript.session.BackendProvider;

/**
 * Offers the AGB cloud: chosen by {@code AGB_BACKEND=cloud}, and by default whenever an API key is set
 * ({@code AGB_API_KEY} or {@code -Dagb.apiKey}), ahead of the embedded sandbox.
 */
public final class CloudBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cloud";
    }

    @Override
    public boolean configured() {
        return CloudConfig.keyConfigured();
    }

    /** Above the local sandbox's 0. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Backend create() {
        return new CloudBackend(CloudConfig.fromEnvironment());
    }
}
