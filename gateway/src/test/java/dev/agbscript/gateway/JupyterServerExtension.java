package dev.agbscript.gateway;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the whole test run of this module against one Jupyter Server on loopback: started before the first test
 * class (registered for every class by JUnit's extension autodetection, so the conformance kit's classes get it
 * too), named to the gateway backend through {@code agb.gateway.url} and {@code agb.gateway.token}, stopped when the
 * run ends. A run given {@code -Dagb.gateway.url} uses that gateway instead.
 */
public final class JupyterServerExtension implements BeforeAllCallback {
    private static final String EXTERNAL = System.getProperty("agb.gateway.url");

    @Override
    public void beforeAll(ExtensionContext context) {
        if (EXTERNAL != null) {
            return;
        }
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Shared.class, key -> {
                    synchronized (JupyterServerExtension.class) {
                        if (own == null) {
                            own = new Shared();
                        }
                        return own;
                    }
                }, Shared.class);
    }

    /** The run's server (tests of this module only: they run against it whatever agb.gateway.url says). */
    static synchronized JupyterServer server() {
        if (own == null) {
            own = new Shared();
        }
        return own.server;
    }

    private static Shared own;

    /** The server of the run; JUnit closes it when the run ends. */
    static final class Shared implements ExtensionContext.Store.CloseableResource {
        final JupyterServer server = JupyterServer.start("conformance", true);

        Shared() {
            System.setProperty("agb.gateway.url", server.url().toString());
            System.setProperty("agb.gateway.token", server.token());
        }

        @Override
        public void close() {
            synchronized (JupyterServerExtension.class) {
                own = null;
            }
            server.close();
            System.clearProperty("agb.gateway.url");
            System.clearProperty("agb.gateway.token");
        }
    }
}
