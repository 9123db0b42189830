package dev.agbscript.session;

import java.util.ServiceLoader;

/**
 * Creates a backend; found through {@link ServiceLoader} so that the session layer depends on no
 * backend. {@link BackendSelection} picks one.
 */
public interface BackendProvider {
    /** The name used to choose this backend explicitly ({@code AGB_BACKEND=local}). */
    String name();

    /** True when the environment asks for this backend without naming it (the cloud: an API key is set). */
    boolean configured();

    /** Higher wins among configured providers when none is chosen explicitly. */
    int priority();

    Backend create();
}
