package dev.agbscript.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionException;
import dev.agbscript.session.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway is and how to use it, from the settings (system property, else environment variable, else the
 * conventional Jupyter variable where there is one):
 *
 * <table>
 * <caption>settings</caption>
 * <tr><td>{@code agb.gateway.url} / {@code AGB_GATEWAY_URL}, else {@code JUPYTER_GATEWAY_URL}</td><td>the base URL
 * of the Jupyter Server, Kernel Gateway or Enterprise Gateway (required)</td></tr>
 * <tr><td>{@code agb.gateway.token} / {@code AGB_GATEWAY_TOKEN}, else {@code JUPYTER_GATEWAY_AUTH_TOKEN}</td><td>its
 * token, sent as {@code Authorization: token …}</td></tr>
 * <tr><td>{@code agb.gateway.kernels} / {@code AGB_GATEWAY_KERNELS}</td><td>kernelspec names per language, e.g.
 * {@code python=python3,r=ir,java=agb-java,javascript=agb-javascript} (those are the defaults)</td></tr>
 * <tr><td>{@code agb.gateway.headers} / {@code AGB_GATEWAY_HEADERS}, else {@code JUPYTER_GATEWAY_HEADERS}</td><td>extra
 * HTTP headers as a JSON object (an auth proxy's)</td></tr>
 * <tr><td>{@code agb.gateway.start.timeout} / {@code AGB_GATEWAY_START_TIMEOUT}</td><td>how long a kernel may take
 * from the request to its first answer (default 60 s; a cluster that pulls images needs more)</td></tr>
 * <tr><td>{@code agb.gateway.request.timeout} / {@code AGB_GATEWAY_REQUEST_TIMEOUT}</td><td>any other HTTP request
 * (default 30 s)</td></tr>
 * <tr><td>{@code agb.gateway.reconnect} / {@code AGB_GATEWAY_RECONNECT}</td><td>how long a dropped WebSocket is
 * tried again before its kernel counts as lost (default 10 s)</td></tr>
 * <tr><td>{@code agb.gateway.ws.protocol} / {@code AGB_GATEWAY_WS_PROTOCOL}</td><td>{@code v1} (default: the binary
 * {@code v1.kernel.websocket.jupyter.org} subprotocol when the server offers it, else JSON) or {@code json}</td></tr>
 * </table>
 *
 * <p>The token never appears in {@link #toString()}, logs or messages.
 */
public record GatewayConfig(URI url, Optional<String> token, Map<Language, String> kernelNames,
                            Map<String, String> headers, Duration startTimeout, Duration requestTimeout,
                            Duration reconnectFor, boolean binaryProtocol) {
    /** The kernelspecs a gateway has when it follows docs/gateway.md: Debian's for Python and R, ours for the rest. */
    public static final Map<Language, String> DEFAULT_KERNELS = Map.of(Language.PYTHON, "python3", Language.R, "ir",
            Language.JAVA, "agb-java", Language.JAVASCRIPT, "agb-javascript");
    static final String URL_SETTING = "AGB_GATEWAY_URL (or -Dagb.gateway.url, or JUPYTER_GATEWAY_URL)";
    static final String TOKEN_SETTING = "AGB_GATEWAY_TOKEN (or -Dagb.gateway.token, or JUPYTER_GATEWAY_AUTH_TOKEN)";

    public GatewayConfig {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new SessionException("The gateway URL must be http://HOST[:PORT][/PATH] or https://…; it is '" + url
                    + "' (" + URL_SETTING + ")");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        url = URI.create(scheme + "://" + url.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
        token = token.map(String::trim).filter(t -> !t.isEmpty());
        Map<Language, String> names = new EnumMap<>(DEFAULT_KERNELS);
        names.putAll(kernelNames);
        kernelNames = Map.copyOf(names);
        headers = Map.copyOf(headers);
    }

    /** The gateway the settings name. @throws SessionException when none is named, or a setting is malformed */
    public static GatewayConfig fromSettings() {
        String url = first(Settings.get("agb.gateway.url", "AGB_GATEWAY_URL"), System.getenv("JUPYTER_GATEWAY_URL"));
        if (url == null) {
            throw new SessionException("The gateway backend needs the gateway's URL: set " + URL_SETTING
                    + ", e.g. http://127.0.0.1:8888");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new SessionException("The gateway URL '" + url + "' is no URL (" + URL_SETTING + ")", e);
        }
        return new GatewayConfig(uri,
                Optional.ofNullable(first(Settings.get("agb.gateway.token", "AGB_GATEWAY_TOKEN"),
                        System.getenv("JUPYTER_GATEWAY_AUTH_TOKEN"))),
                kernelNames(Settings.get("agb.gateway.kernels", "AGB_GATEWAY_KERNELS")),
                headers(first(Settings.get("agb.gateway.headers", "AGB_GATEWAY_HEADERS"),
                        System.getenv("JUPYTER_GATEWAY_HEADERS"))),
                duration("agb.gateway.start.timeout", "AGB_GATEWAY_START_TIMEOUT", Duration.ofSeconds(60)),
                duration("agb.gateway.request.timeout", "AGB_GATEWAY_REQUEST_TIMEOUT", Duration.ofSeconds(30)),
                duration("agb.gateway.reconnect", "AGB_GATEWAY_RECONNECT", Duration.ofSeconds(10)),
                binary(Settings.get("agb.gateway.ws.protocol", "AGB_GATEWAY_WS_PROTOCOL")));
    }

    public GatewayConfig withToken(String newToken) {
        return new GatewayConfig(url, Optional.ofNullable(newToken), kernelNames, headers, startTimeout, requestTimeout,
                reconnectFor, binaryProtocol);
    }

    public GatewayConfig withKernelName(Language language, String name) {
        Map<Language, String> names = new EnumMap<>(kernelNames);
        names.put(language, name);
        return new GatewayConfig(url, token, names, headers, startTimeout, requestTimeout, reconnectFor, binaryProtocol);
    }

    public GatewayConfig withReconnectFor(Duration reconnect) {
        return new GatewayConfig(url, token, kernelNames, headers, startTimeout, requestTimeout, reconnect,
                binaryProtocol);
    }

    public GatewayConfig withUrl(URI newUrl) {
        return new GatewayConfig(newUrl, token, kernelNames, headers, startTimeout, requestTimeout, reconnectFor,
                binaryProtocol);
    }

    public GatewayConfig withBinaryProtocol(boolean binary) {
        return new GatewayConfig(url, token, kernelNames, headers, startTimeout, requestTimeout, reconnectFor, binary);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    static Map<Language, String> kernelNames(String setting) {
        Map<Language, String> names = new EnumMap<>(Language.class);
        if (setting == null || setting.isBlank()) {
            return names;
        }
        for (String pair : setting.split(",")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[1].isBlank()) {
                throw new SessionException("AGB_GATEWAY_KERNELS (agb.gateway.kernels) must be LANGUAGE=KERNELSPEC,…,"
                        + " e.g. python=python3,java=agb-java; it is '" + setting + "'");
            }
            try {
                names.put(Language.of(parts[0]), parts[1].trim());
            } catch (RuntimeException e) {
                throw new SessionException("AGB_GATEWAY_KERNELS (agb.gateway.kernels) names '" + parts[0].trim()
                        + "', which is no language: " + e.getMessage(), e);
            }
        }
        return names;
    }

    static Map<String, String> headers(String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return headers;
        }
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            for (Map.Entry<String, JsonElement> header : object.entrySet()) {
                headers.put(header.getKey(), header.getValue().getAsString());
            }
            return headers;
        } catch (RuntimeException e) {
            throw new SessionException("AGB_GATEWAY_HEADERS (or JUPYTER_GATEWAY_HEADERS) must be a JSON object of "
                    + "strings, e.g. {\"X-Auth\": \"…\"}", e);
        }
    }

    private static Duration duration(String property, String variable, Duration otherwise) {
        try {
            return Settings.duration(property, variable, Optional.of(otherwise)).orElse(Duration.ofDays(36_500));
        } catch (IllegalArgumentException e) {
            throw new SessionException(e.getMessage(), e);
        }
    }

    private static boolean binary(String setting) {
        if (setting == null || setting.isBlank()) {
            return true;
        }
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "v1", "binary", "v1.kernel.websocket.jupyter.org" -> true;
            case "json", "legacy" -> false;
            default -> throw new SessionException("AGB_GATEWAY_WS_PROTOCOL (agb.gateway.ws.protocol) is v1 or json;"
                    + " it is '" + setting + "'");
        };
    }

    @Override
    public String toString() {
        return "GatewayConfig{" + url + (token.isPresent() ? ", token ***" : ", no token") + ", kernels " + kernelNames
                + ", " + (binaryProtocol ? "v1" : "json") + "}";
    }
}
