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
        "agb.labels", "agb.idleTimeoutS", "agb.stream", "agb.keepAliveS", "agb.releaseWaitS", "agb.workDir",
        "agb.sessionId", "agb.releaseAttached"};

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
    void newSettingsDefaults() {
        boolean clean = System.getenv().keySet().stream().noneMatch(k -> k.startsWith("AGB_"));
        if (!clean) {
            return; // a developer machine with AGB_* variables set: the defaults are not in force there
        }
        CloudConfig c = CloudConfig.builder().apiKey("k").build();
        assertEquals(CloudConfig.StreamMode.AUTO, c.stream());
        assertEquals(Duration.ofSeconds(150), c.keepAlive(), "half the service's 5 minutes");
        assertEquals(Duration.ofSeconds(300), c.releaseWait(), "the SDK's delete wait");
        assertEquals("/workspace", c.workDir());
        assertNull(c.sessionId());
        assertFalse(c.releaseAttached());
        assertEquals(Duration.ofSeconds(60), CloudConfig.builder().apiKey("k").idleTimeout(Duration.ofMinutes(2))
                .build().keepAlive(), "half the configured idle timeout");
    }

    @Test
    void newSettingsFromPropertiesAndBuilder() {
        System.setProperty("agb.stream", "OFF");
        System.setProperty("agb.keepAliveS", "0");
        System.setProperty("agb.releaseWaitS", "20");
        System.setProperty("agb.workDir", "/tmp/w/");
        System.setProperty("agb.sessionId", "s-9");
        System.setProperty("agb.releaseAttached", "true");

        CloudConfig fromProperties = CloudConfig.builder().apiKey("k").build();
        assertEquals(CloudConfig.StreamMode.OFF, fromProperties.stream());
        assertEquals(Duration.ZERO, fromProperties.keepAlive(), "0 turns keep-alive off");
        assertEquals(Duration.ofSeconds(20), fromProperties.releaseWait());
        assertEquals("/tmp/w", fromProperties.workDir());
        assertEquals("s-9", fromProperties.sessionId());
        assertTrue(fromProperties.releaseAttached());
        assertTrue(fromProperties.toString().contains("stream=off"), fromProperties.toString());

        CloudConfig built = CloudConfig.builder().apiKey("k").stream(CloudConfig.StreamMode.ON)
                .keepAlive(Duration.ofSeconds(30)).releaseWait(Duration.ofSeconds(5)).workDir("/data")
                .sessionId("s-1").releaseAttached(false).build();
        assertEquals(CloudConfig.StreamMode.ON, built.stream());
        assertEquals(Duration.ofSeconds(30), built.keepAlive());
        assertEquals(Duration.ofSeconds(5), built.releaseWait());
        assertEquals("/data", built.workDir());
        assertEquals("s-1", built.sessionId());
        assertFalse(built.releaseAttached());
    }

    @Test
    void badNewSettingsAreClearErrors() {
        System.setProperty("agb.stream", "sometimes");
        assertTrue(assertThrows(IllegalArgumentException.class, CloudConfig::fromEnvironment).getMessage()
                .contains("AGB_STREAM"));
        System.clearProperty("agb.stream");
        System.setProperty("agb.workDir", "relative/dir");
        assertTrue(assertThrows(IllegalArgumentException.class, CloudConfig::fromEnvironment).getMessage()
                .contains("AGB_WORK_DIR"));
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
