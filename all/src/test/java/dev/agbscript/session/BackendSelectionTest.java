package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The choice between the backends on the class path: every module is there in the aggregate. */
class BackendSelectionTest {
    @AfterEach
    void clear() {
        System.clearProperty("agb.apiKey");
        System.clearProperty("agb.endpoint");
    }

    @Test
    void backendSelectionPicksTheCloudByKeyAndHonoursAnExplicitChoice() {
        System.setProperty("agb.apiKey", "prop-key");
        System.setProperty("agb.endpoint", "http://127.0.0.1:1");
        try {
            try (Backend chosen = BackendSelection.fromEnvironment()) {
                assertEquals("cloud", chosen.name());
            }
            System.setProperty("agb.backend", "local");
            try (Backend chosen = BackendSelection.fromEnvironment()) {
                assertEquals("local", chosen.name());
            }
        } finally {
            System.clearProperty("agb.backend");
        }
    }
}
