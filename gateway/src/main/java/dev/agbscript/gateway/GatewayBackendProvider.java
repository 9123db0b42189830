package dev.agbscript.gateway;

import dev.agbscript.session.Backend;
import dev.agbscript.session.BackendProvider;
import dev.agbscript.session.Settings;

/**
 * Offers the gateway backend: chosen by {@code AGB_BACKEND=gateway}, or without naming it when
 * {@code AGB_GATEWAY_URL} is set (the conventional {@code JUPYTER_GATEWAY_URL} alone does not choose it: a notebook
 * server's environment may carry it for its own use). Below the cloud when both are configured.
 */
public final class GatewayBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public boolean configured() {
        String url = Settings.get("agb.gateway.url", "AGB_GATEWAY_URL");
        return url != null && !url.isBlank();
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public Backend create() {
        return new GatewayBackend(GatewayConfig.fromSettings());
    }
}
