package dev.agbscript.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Names, precedence (builder > system property > environment > default) and secrecy of the key. */
class CloudConfigTest {
    private static final String[] PROPERTIES = {"agb.apiKey", "agb.endpoint", "agb.timeoutMs", "agb.imageId",
        "agb.labels", "agb.idleTimeoutS"};

    @AfterEach
    void clear() {
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
    }

    @Test
    void defaultsFollowTheSdk() {
        // The environment of the build has no AGB_* variables; defaults apply.
        CloudConfig c = CloudConfig.builder().apiKey("k").build();
        if (System.getenv("AGB_ENDPOINT") == null) {
            assertEquals("https://sdk-api.agb.cloud/", c.endpoint().toString());
        }
        if (System.getenv("AGB_TIMEOUT_MS") == null) {
            assertEquals(Duration.ofSeconds(60), c.timeout());
        }
        if (System.getenv("AGB_IMAGE_ID") == null) {
            assertEquals("agb-code-space-1", c.imageId());
        }
        if (System.getenv("AGB_IDLE_TIMEOUT_S") == null) {
            assertNull(c.idleTimeout());
        }
    }

    @Test
    void systemPropertiesOverrideTheEnvironmentAndTheBuilderOverridesThem() {
        System.setProperty("agb.apiKey", "prop-key");
        System.setProperty("agb.endpoint", "http://127.0.0.1:9999");
        System.setProperty("agb.timeoutMs", "1500");
        System.setProperty("agb.imageId", "agb-code-space-2");
        System.setProperty("agb.labels", "team=ml, env=dev");
        System.setProperty("agb.idleTimeoutS", "120");

        CloudConfig fromProperties = CloudConfig.fromEnvironment();
        assertTrue(fromProperties.hasApiKey());
        assertEquals("http://127.0.0.1:9999/", fromProperties.endpoint().toString());
        assertEquals(Duration.ofMillis(1500), fromProperties.timeout());
        assertEquals("agb-code-space-2", fromProperties.imageId());
        assertEquals(Map.of("team", "ml", "env", "dev"), fromProperties.labels());
        assertEquals(Duration.ofSeconds(120), fromProperties.idleTimeout());

        CloudConfig built = CloudConfig.builder().endpoint("example.test").timeout(Duration.ofSeconds(5))
                .imageId("img").labels(Map.of("a", "b")).build();
        assertEquals("https://example.test/", built.endpoint().toString(), "https:// added when no scheme");
        assertEquals(Duration.ofSeconds(5), built.timeout());
        assertEquals("img", built.imageId());
        assertEquals(Map.of("a", "b"), built.labels());
        assertEquals(Duration.ofSeconds(120), built.idleTimeout(), "unset in the builder: from the property");
    }

    @Test
    void labelsAsJson() {
        assertEquals(Map.of("a", "1", "b", "x"), CloudConfig.parseLabels("{\"a\": 1, \"b\": \"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> CloudConfig.parseLabels("nonsense"));
    }

    @Test
    void badNumbersAreClearErrors() {
        System.setProperty("agb.timeoutMs", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CloudConfig::fromEnvironment);
        assertTrue(e.getMessage().contains("AGB_TIMEOUT_MS"));
    }

    @Test
    void theKeyNeverShows() {
        CloudConfig c = CloudConfig.builder().apiKey("sk-very-secret").build();
        assertFalse(c.toString().contains("sk-very-secret"), c.toString());
        assertFalse(ApiKey.of("sk-very-secret").toString().contains("sk-very-secret"));
        assertEquals("Bearer sk-very-secret", ApiKey.of("sk-very-secret").bearer());
        CloudBackend backend = new CloudBackend(c);
        try {
            assertFalse(backend.toString().contains("sk-very-secret"));
        } finally {
            backend.close();
        }
    }

    @Test
    void noKeyNoCloud() {
        if (System.getenv("AGB_API_KEY") != null) {
            return; // a developer machine with a key: the cloud is configured there
        }
        assertFalse(new CloudBackendProvider().configured());
        SessionException e = assertThrows(SessionException.class, () -> new CloudBackend(CloudConfig.fromEnvironment()));
        assertTrue(e.getMessage().contains("API key is required"));
    }

    @Test
    void aKeyMakesTheCloudTheConfiguredBackend() {
        System.setProperty("agb.apiKey", "prop-key");
        CloudBackendProvider provider = new CloudBackendProvider();
        assertTrue(provider.configured());
        assertEquals("cloud", provider.name());
        assertTrue(provider.priority() > 0, "above the local sandbox");
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(dev.agbscript.session.BackendProvider.class).forEach(p -> names.add(p.name()));
        assertTrue(names.contains("cloud"), names.toString());
    }
}
