package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of a {@code run_code} tool answer into a result, in the official parser's order
 * (agb-protocol.md §3, {@code code.py _parse_run_code_result}): text that is not a JSON object is the
 * result; a payload wrapped in {@code content[0].text} is unwrapped; {@code isError} fails; then the
 * current format ({@code result} list), the rich format ({@code logs}/{@code results}), the legacy
 * {@code content} form, and any other object as text.
 *
 * <p>Where this differs from the SDK, on purpose: an {@code executionError} without a {@code result} list
 * is still the run's error (the SDK shows the object as text); an {@code isError} answer that carries the
 * run's logs or results is a failed run with the service's text as its error, keeping the logs (the SDK
 * drops them); the main result follows {@link Outputs}' rule.
 */
final class RunCodeParser {
    /** {@code NameError: name 'x' is not defined} → name and value, as a kernel would report them. */
    private static final Pattern NAMED_ERROR =
            Pattern.compile("(?s)^([A-Za-z_][\\w.]*(?:Error|Exception|Interrupt|Exit|Warning))(?::\\s*(.*))?$");

    private RunCodeParser() {}

    static ExecutionResult parse(String text, String requestId) {
        return parse(text, requestId, ExecutionListener.NONE);
    }

    /** Parses a run's answer; its outputs reach the listener as they are read, in the answer's order. */
    static ExecutionResult parse(String text, String requestId, ExecutionListener listener) {
        if (text == null || text.isBlank()) {
            throw new AgbProtocolException("run_code returned no data", requestId);
        }
        ExecutionResult.Builder result = ExecutionResult.builder().listener(listener).requestId(requestId);
        JsonElement parsed = Json.parse(text.strip());
        if (parsed == null || !parsed.isJsonObject()) {
            return plainText(result, text);
        }
        JsonObject object = parsed.getAsJsonObject();
        JsonObject inner = innerPayload(object);
        if (inner != null) {
            object = inner;
        }
        if (Boolean.TRUE.equals(Json.bool(object, "isError"))) {
            if (!carriesRun(object)) {
                throw new AgbToolException("run_code: Error in response: " + contentTexts(object), requestId);
            }
            return failedRun(result, object);
        }
        if (resultList(object) != null || hasText(object, "executionError")) {
            return current(result, object);
        }
        if (object.has("logs") || object.has("results")) {
            return rich(result, object);
        }
        if (object.has("content")) {
            String legacy = firstContentText(object);
            if (legacy == null) {
                throw new AgbProtocolException("run_code: No content found in response", requestId);
            }
            return plainText(result, legacy);
        }
        return plainText(result, object.toString());
    }

    /** {@code content[0].text} holding the real payload (a tool answer wrapped once more). */
    private static JsonObject innerPayload(JsonObject object) {
        String first = firstContentText(object);
        JsonObject inner = first == null ? null : Json.object(Json.parse(first));
        return inner != null && (inner.has("result") || inner.has("executionError")) ? inner : null;
    }

    /** Text as the SDK shows it: one main result and the same text as stdout. */
    private static ExecutionResult plainText(ExecutionResult.Builder result, String text) {
        Outputs outputs = new Outputs();
        outputs.add(MimeBundles.text(text, true));
        outputs.bundles().forEach(result::result);
        return result.stdout(text).build();
    }

    private static JsonArray resultList(JsonObject o) {
        JsonElement items = Json.decode(o.get("result"));
        return items != null && items.isJsonArray() ? items.getAsJsonArray() : null;
    }

    private static ExecutionResult current(ExecutionResult.Builder result, JsonObject o) {
        JsonArray items = resultList(o);
        Outputs outputs = new Outputs();
        if (items != null) {
            items.forEach(item -> outputs.add(MimeBundles.read(item)));
        }
        outputs.bundles().forEach(result::result);
        strings(o.get("stdout")).forEach(result::stdout);
        strings(o.get("stderr")).forEach(result::stderr);
        String error = Json.string(o, "executionError");
        if (error != null && !error.isEmpty()) {
            result.error(executionError(error, "", ""));
        }
        counts(result, o);
        return result.build();
    }

    private static ExecutionResult rich(ExecutionResult.Builder result, JsonObject o) {
        logs(result, o);
        JsonElement items = Json.decode(o.get("results"));
        Outputs outputs = new Outputs();
        if (items != null && items.isJsonArray()) {
            items.getAsJsonArray().forEach(item -> outputs.add(MimeBundles.read(item)));
        }
        outputs.bundles().forEach(result::result);
        JsonObject error = Json.object(o.get("error"));
        if (error != null) {
            String name = Json.string(error, "name");
            String value = Json.string(error, "value");
            result.error(name == null || name.isEmpty()
                    ? executionError(value == null ? "ExecutionError" : value, "", Json.string(error, "traceback"))
                    : timeoutAware(new ExecutionError(name, value, Json.string(error, "traceback"))));
        }
        counts(result, o);
        return result.build();
    }

    /** An answer with the run's own fields: an {@code isError} there is the code failing, not the tool. */
    private static boolean carriesRun(JsonObject o) {
        return o.has("logs") || o.has("results") || o.has("error") || o.has("result") || o.has("stdout")
                || o.has("stderr") || o.has("executionError");
    }

    /** A run flagged {@code isError}: the service's text ({@code content}) is the error's value. */
    private static ExecutionResult failedRun(ExecutionResult.Builder result, JsonObject o) {
        JsonObject error = Json.object(o.get("error"));
        String name = Json.string(error, "name");
        String text = contentTexts(o);
        if (text.isEmpty()) {
            text = firstPresent(Json.string(error, "value"), Json.string(o, "executionError"), "run_code reported an error");
        }
        result.error(timeoutAware(new ExecutionError(name == null || name.isEmpty() ? "ExecutionError" : name, text,
                Json.string(error, "traceback"))));
        logs(result, o);
        strings(o.get("stdout")).forEach(result::stdout);
        strings(o.get("stderr")).forEach(result::stderr);
        Outputs outputs = new Outputs();
        JsonElement items = Json.decode(o.has("results") ? o.get("results") : o.get("result"));
        if (items != null && items.isJsonArray()) {
            items.getAsJsonArray().forEach(item -> outputs.add(MimeBundles.read(item)));
        }
        outputs.bundles().forEach(result::result);
        counts(result, o);
        return result.build();
    }

    private static void logs(ExecutionResult.Builder result, JsonObject o) {
        JsonObject logs = Json.object(o.get("logs"));
        if (logs != null) {
            strings(logs.get("stdout")).forEach(result::stdout);
            strings(logs.get("stderr")).forEach(result::stderr);
        }
    }

    /**
     * An execution error string as the service sends it: {@code "NameError: name 'x' is not defined"} keeps
     * its name, other text is named {@code ExecutionError} as the SDK does; {@code TimeoutError} is a timeout.
     */
    static ExecutionError executionError(String text, String fallbackValue, String traceback) {
        String trimmed = text.strip();
        List<String> lines = trimmed.lines().filter(l -> !l.isBlank()).toList();
        // A traceback ends with "Name: value"; a bare error string is that line alone.
        Matcher m = NAMED_ERROR.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip());
        if (m.matches()) {
            String trace = lines.size() > 1 && (traceback == null || traceback.isEmpty()) ? trimmed : traceback;
            return timeoutAware(new ExecutionError(m.group(1), m.group(2) == null ? fallbackValue : m.group(2),
                    trace));
        }
        return new ExecutionError("ExecutionError", trimmed, traceback);
    }

    /** The service names a run it stopped at its time limit {@code TimeoutError}: that is a timeout. */
    private static ExecutionError timeoutAware(ExecutionError error) {
        if (ExecutionError.TIMEOUT.equals(error.name())) {
            return new ExecutionError(ExecutionError.Kind.TIMEOUT, ExecutionError.TIMEOUT, error.value().isEmpty()
                    ? "the AGB service stopped the run at its time limit" : error.value(), error.traceback(), -1, -1);
        }
        return error;
    }

    static void counts(ExecutionResult.Builder result, JsonObject o) {
        Number count = Json.number(o, "execution_count", "executionCount");
        if (count != null) {
            result.executionCount(count.intValue());
        }
        Number seconds = Json.number(o, "execution_time", "executionTime");
        if (seconds != null) {
            result.executionTime(Duration.ofNanos(new BigDecimal(seconds.toString())
                    .multiply(BigDecimal.valueOf(1_000_000_000L)).longValue()));
        }
    }

    private static List<String> strings(JsonElement element) {
        List<String> out = new ArrayList<>();
        JsonElement decoded = Json.decode(element);
        if (decoded == null || decoded.isJsonNull()) {
            return out;
        }
        if (decoded.isJsonArray()) {
            for (JsonElement e : decoded.getAsJsonArray()) {
                if (!e.isJsonNull()) {
                    out.add(e.isJsonPrimitive() ? e.getAsString() : e.toString());
                }
            }
        } else {
            out.add(decoded.isJsonPrimitive() ? decoded.getAsString() : decoded.toString());
        }
        return out;
    }

    private static boolean hasText(JsonObject o, String key) {
        String value = Json.string(o, key);
        return value != null && !value.isEmpty();
    }

    private static String firstContentText(JsonObject object) {
        JsonElement content = object.get("content");
        if (content == null || !content.isJsonArray() || content.getAsJsonArray().isEmpty()) {
            return null;
        }
        JsonObject first = Json.object(content.getAsJsonArray().get(0));
        return first == null ? null : Json.string(first, "text");
    }

    /** The texts of {@code content}, joined by "; " as the SDK's error message joins them. */
    private static String contentTexts(JsonObject object) {
        JsonElement content = object.get("content");
        List<String> texts = new ArrayList<>();
        if (content != null && content.isJsonArray()) {
            for (JsonElement item : content.getAsJsonArray()) {
                String text = Json.string(Json.object(item), "text");
                if (text != null) {
                    texts.add(text);
                }
            }
        }
        return String.join("; ", texts);
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
