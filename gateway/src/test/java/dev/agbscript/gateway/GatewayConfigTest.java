package dev.agbscript.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The settings: what they accept, what they refuse and how the refusal names them; the token stays hidden. */
class GatewayConfigTest {
    private static final String[] PROPERTIES = {"agb.gateway.url", "agb.gateway.token", "agb.gateway.kernels",
        "agb.gateway.headers", "agb.gateway.start.timeout", "agb.gateway.ws.protocol"};
    private final String[] saved = new String[PROPERTIES.length];

    {
        for (int i = 0; i < PROPERTIES.length; i++) {
            saved[i] = System.getProperty(PROPERTIES[i]);
            System.clearProperty(PROPERTIES[i]);
        }
    }

    @AfterEach
    void restore() {
        for (int i = 0; i < PROPERTIES.length; i++) {
            if (saved[i] == null) {
                System.clearProperty(PROPERTIES[i]);
            } else {
                System.setProperty(PROPERTIES[i], saved[i]);
            }
        }
    }

    @Test
    void settingsAreReadAndDefaultsFillTheRest() {
        System.setProperty("agb.gateway.url", "https://gw.example:8443/jupyter");
        System.setProperty("agb.gateway.token", " s3cret ");
        System.setProperty("agb.gateway.kernels", "python=python_kubernetes, R = R_kubernetes");
        System.setProperty("agb.gateway.headers", "{\"X-Tenant\": \"blue\"}");
        System.setProperty("agb.gateway.start.timeout", "5m");
        System.setProperty("agb.gateway.ws.protocol", "json");
        GatewayConfig config = GatewayConfig.fromSettings();
        assertEquals(URI.create("https://gw.example:8443/jupyter/"), config.url(), "a base path keeps its prefix");
        assertEquals(Optional.of("s3cret"), config.token());
        assertEquals(Map.of(Language.PYTHON, "python_kubernetes", Language.R, "R_kubernetes", Language.JAVA,
                "agb-java", Language.JAVASCRIPT, "agb-javascript"), config.kernelNames());
        assertEquals(Map.of("X-Tenant", "blue"), config.headers());
        assertEquals(Duration.ofMinutes(5), config.startTimeout());
        assertFalse(config.binaryProtocol());
        assertFalse(config.toString().contains("s3cret"), config.toString());
    }

    @Test
    void theChannelsUrlIsTheWebSocketOfTheSameServer() {
        GatewayApi api = new GatewayApi(new GatewayConfig(URI.create("https://gw.example/base"), Optional.empty(),
                Map.of(), Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true), null);
        assertEquals(URI.create("wss://gw.example/base/api/kernels/k-1/channels?session_id=a+b"),
                api.channels("k-1", "a b"));
    }

    @Test
    void malformedSettingsNameThemselves() {
        assertTrue(assertThrows(SessionException.class, GatewayConfig::fromSettings).getMessage()
                .contains("needs the gateway's URL: set AGB_GATEWAY_URL"));
        System.setProperty("agb.gateway.url", "ftp://gw.example");
        assertTrue(assertThrows(SessionException.class, GatewayConfig::fromSettings).getMessage()
                .contains("must be http://HOST"));
        System.setProperty("agb.gateway.url", "http://gw.example");
        System.setProperty("agb.gateway.kernels", "cobol=gnucobol");
        assertTrue(assertThrows(SessionException.class, GatewayConfig::fromSettings).getMessage()
                .contains("AGB_GATEWAY_KERNELS (agb.gateway.kernels) names 'cobol'"));
        System.clearProperty("agb.gateway.kernels");
        System.setProperty("agb.gateway.ws.protocol", "v9");
        assertTrue(assertThrows(SessionException.class, GatewayConfig::fromSettings).getMessage()
                .contains("AGB_GATEWAY_WS_PROTOCOL"));
        System.clearProperty("agb.gateway.ws.protocol");
        System.setProperty("agb.gateway.headers", "[1]");
        assertTrue(assertThrows(SessionException.class, GatewayConfig::fromSettings).getMessage()
                .contains("AGB_GATEWAY_HEADERS"));
    }
}
