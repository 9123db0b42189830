package dev.agbscript.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Chooses the backend: an explicit choice ({@code -Dagb.backend} or {@code AGB_BACKEND}) wins; otherwise the
 * configured provider with the highest priority (the cloud when {@code AGB_API_KEY} is set), else the
 * embedded local sandbox.
 */
public final class BackendSelection {
    private BackendSelection() {}

    public static Backend fromEnvironment() {
        List<BackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, BackendSelection.class.getClassLoader()).forEach(providers::add);
        String explicit = Settings.get("agb.backend", "AGB_BACKEND");
        if (explicit != null && !explicit.isBlank()) {
            String wanted = explicit.trim().toLowerCase(Locale.ROOT);
            return providers.stream().filter(p -> p.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new SessionException("Unknown backend '" + explicit + "' (the setting "
                            + (System.getProperty("agb.backend") != null ? "-Dagb.backend" : "AGB_BACKEND")
                            + "); the backends on the class path are: " + providers.stream().map(BackendProvider::name)
                            .collect(Collectors.joining(", ")) + " (each comes with its module: agb-script-local, "
                            + "agb-script-cloud, agb-script-gateway)"))
                    .create();
        }
        return providers.stream().filter(BackendProvider::configured)
                .max(Comparator.comparingInt(BackendProvider::priority))
                .orElseThrow(() -> new SessionException("No backend available: none is configured"))
                .create();
    }
}
