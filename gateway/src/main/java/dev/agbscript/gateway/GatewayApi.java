package dev.agbscript.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.jupyter.JupyterMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The REST half of the Jupyter kernel API, as Jupyter Server, Kernel Gateway and Enterprise Gateway serve it:
 * {@code /api/kernelspecs}, {@code /api/kernels} (start, look up, interrupt, delete), with token authentication.
 * Every failure is a {@link GatewayException} that says which request failed and why.
 */
final class GatewayApi {
    private final GatewayConfig config;
    private final HttpClient http;

    GatewayApi(GatewayConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    GatewayConfig config() {
        return config;
    }

    HttpClient http() {
        return http;
    }

    /** The gateway's kernelspecs: name → spec ({@code language}, {@code display_name}, …). */
    JsonObject kernelSpecs() {
        JsonObject body = call("GET", "api/kernelspecs", null, config.requestTimeout()).orElseThrow(
                () -> new GatewayException("The gateway at " + config.url() + " has no /api/kernelspecs (HTTP 404): "
                        + "is " + GatewayConfig.URL_SETTING + " the base URL of a Jupyter server or gateway?", 404));
        JsonObject specs = new JsonObject();
        if (body.has("kernelspecs") && body.get("kernelspecs").isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : body.getAsJsonObject("kernelspecs").entrySet()) {
                JsonObject model = entry.getValue().getAsJsonObject();
                specs.add(entry.getKey(), model.has("spec") ? model.get("spec") : new JsonObject());
            }
        }
        return specs;
    }

    /** Starts a kernel of that kernelspec; returns its id. */
    String startKernel(String kernelSpec, Map<String, String> env) {
        JsonObject request = new JsonObject();
        request.addProperty("name", kernelSpec);
        JsonObject environment = new JsonObject();
        env.forEach(environment::addProperty);
        request.add("env", environment);
        JsonObject kernel = call("POST", "api/kernels", request, config.startTimeout()).orElseThrow(
                () -> new GatewayException("The gateway at " + config.url() + " answered 404 to starting a kernel",
                        404));
        if (!kernel.has("id")) {
            throw new GatewayException("The gateway at " + config.url() + " started a kernel but gave no id: " + kernel,
                    200);
        }
        return kernel.get("id").getAsString();
    }

    /** The kernel's model ({@code execution_state}, …), or empty when the gateway has no such kernel. */
    Optional<JsonObject> kernel(String id) {
        return call("GET", "api/kernels/" + id, null, config.requestTimeout());
    }

    /** Interrupts the kernel the way its spec says (a signal or an interrupt_request); false when it is gone. */
    boolean interrupt(String id) {
        return call("POST", "api/kernels/" + id + "/interrupt", new JsonObject(), config.requestTimeout()).isPresent();
    }

    /** Shuts the kernel down and forgets it; nothing happens when it is gone already. */
    void delete(String id) {
        call("DELETE", "api/kernels/" + id, null, config.requestTimeout());
    }

    /**
     * {@link #delete} for a kernel the gateway is restarting (it saw it die). jupyter_client 7 (Debian 12's, under
     * Jupyter Server 1.x) fails such a DELETE until the restart is done (HTTP 500, an {@code InvalidStateError} in
     * the server's log) and keeps the kernel: a server error is tried again, with growing pauses, for as long as a
     * kernel may take to start.
     */
    void deleteRestarting(String id) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        for (long pause = 20; ; pause = Math.min(2 * pause, 500)) {
            try {
                delete(id);
                return;
            } catch (GatewayException e) {
                if (e.status() / 100 != 5 || System.nanoTime() + pause * 1_000_000 - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause); // the server tells no event for a finished restart: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException("Interrupted while deleting the kernel " + id + " on the gateway at "
                        + config.url(), e);
            }
        }
    }

    /** The channels WebSocket of the kernel for one client session. */
    URI channels(String id, String clientSessionId) {
        URI http = config.url().resolve("api/kernels/" + id + "/channels?session_id="
                + URLEncoder.encode(clientSessionId, StandardCharsets.UTF_8));
        String scheme = http.getScheme().equals("https") ? "wss" : "ws";
        return URI.create(scheme + http.toString().substring(http.getScheme().length()));
    }

    /** A WebSocket builder with the gateway's authentication and headers. */
    WebSocket.Builder webSocket() {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        config.token().ifPresent(token -> builder.header("Authorization", "token " + token));
        config.headers().forEach(builder::header);
        return builder;
    }

    /**
     * Sends the request; the JSON answer, or empty for a 404 (no such kernel or spec).
     *
     * @throws GatewayException for any other failure, naming the setting that fixes it where one does
     */
    private Optional<JsonObject> call(String method, String path, JsonObject body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url().resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JupyterMessage.gson().toJson(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        config.token().ifPresent(token -> request.header("Authorization", "token " + token));
        config.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new GatewayException("The gateway at " + config.url() + " did not answer " + method + " /" + path
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new GatewayException("Cannot reach the gateway at " + config.url() + " (" + GatewayConfig.URL_SETTING
                    + "): " + (e.getMessage() == null ? "connection refused" : e.getMessage()), e);
        } catch (IOException e) {
            throw new GatewayException("The request " + method + " /" + path + " to the gateway at " + config.url()
                    + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted while waiting for the gateway at " + config.url(), e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status == 401 || status == 403) {
            throw new GatewayException("The gateway at " + config.url() + " refused " + method + " /" + path
                    + " (HTTP " + status + "): " + (config.token().isPresent()
                    ? "its token is not the one in " + GatewayConfig.TOKEN_SETTING
                    : "it needs a token; set " + GatewayConfig.TOKEN_SETTING), status);
        }
        if (status / 100 != 2) {
            throw new GatewayException("The gateway at " + config.url() + " failed " + method + " /" + path
                    + " (HTTP " + status + ")" + reason(response.body()), status);
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return Optional.of(new JsonObject());
        }
        try {
            JsonElement json = JsonParser.parseString(text);
            return Optional.of(json.isJsonObject() ? json.getAsJsonObject() : new JsonObject());
        } catch (RuntimeException e) {
            throw new GatewayException("The gateway at " + config.url() + " answered " + method + " /" + path
                    + " with no JSON: " + abbreviate(text), status);
        }
    }

    /** The server's own explanation: Jupyter answers errors as {@code {"message": …, "reason": …}}. */
    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonObject error = JsonParser.parseString(body).getAsJsonObject();
            String message = error.has("message") && !error.get("message").isJsonNull()
                    ? error.get("message").getAsString() : "";
            String reason = error.has("reason") && !error.get("reason").isJsonNull()
                    ? error.get("reason").getAsString() : "";
            String both = (message + (reason.isEmpty() || reason.equals(message) ? "" : " (" + reason + ")")).trim();
            return both.isEmpty() ? "" : ": " + abbreviate(both);
        } catch (RuntimeException e) {
            return ": " + abbreviate(body);
        }
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
