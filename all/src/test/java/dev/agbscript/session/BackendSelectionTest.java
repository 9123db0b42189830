package dev.agbscript.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;

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

    @Test
    void anEngineIsFoundWhateverTheBackendSettingAndItsFirstEvalNamesTheProblem() {
        SessionManager.shared().close(); // the shared manager is made again, from the settings, at the next eval
        System.setProperty("agb.backend", "gatway");
        try {
            ScriptEngine python = new ScriptEngineManager().getEngineByName("agb-python");
            assertNotNull(python, "a misspelt backend hid the engine");
            ScriptException e = assertThrows(ScriptException.class, () -> python.eval("1+1"));
            assertTrue(e.getMessage().startsWith("Unknown backend 'gatway' (the setting -Dagb.backend); the backends "
                    + "on the class path are: "), e.getMessage());
            assertTrue(e.getMessage().contains("gateway"), e.getMessage());
        } finally {
            System.clearProperty("agb.backend");
        }
    }

    @Test
    void theGatewayWithoutAUrlSaysWhichSettingIsMissing() {
        System.setProperty("agb.backend", "gateway");
        try {
            SessionException e = assertThrows(SessionException.class, BackendSelection::fromEnvironment);
            assertTrue(e.getMessage().contains("needs the gateway's URL: set AGB_GATEWAY_URL"), e.getMessage());
        } finally {
            System.clearProperty("agb.backend");
        }
    }
}
