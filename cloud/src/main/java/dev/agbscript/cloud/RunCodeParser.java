package dev.agbscript.cloud;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of a {@code run_code} tool answer into a result, accepting every shape the official
 * parser accepts (agb-protocol.md §3): the current format ({@code result} list of MIME bundles, possibly
 * double-encoded, {@code stdout}, {@code stderr}, {@code executionError}), the older rich format
 * ({@code logs}, {@code results}, {@code error}), the legacy {@code content} form, and plain text.
 */
final class RunCodeParser {
    /** {@code NameError: name 'x' is not defined} → name and value, as a kernel would report them. */
    private static final Pattern NAMED_ERROR =
            Pattern.compile("(?s)^([A-Za-z_][\\w.]*(?:Error|Exception|Interrupt|Exit|Warning))(?::\\s*(.*))?$");

    private RunCodeParser() {}

    static ExecutionResult parse(String text, String requestId) {
        if (text == null || text.isBlank()) {
            throw new AgbProtocolException("run_code returned no data", requestId);
        }
        ExecutionResult.Builder result = ExecutionResult.builder().requestId(requestId);
        JsonElement parsed = Json.parse(text);
        if (parsed == null || !parsed.isJsonObject()) {
            return plainText(result, text);
        }
        JsonObject object = parsed.getAsJsonObject();
        JsonObject inner = innerPayload(object);
        if (inner != null) {
            object = inner;
        }
        if (Boolean.TRUE.equals(Json.bool(object, "isError")) && !object.has("logs") && !object.has("results")) {
            throw new AgbToolException("run_code: Error in response: " + contentTexts(object, "; "), requestId);
        }
        if (object.has("result") || object.has("executionError") || object.has("stdout") || object.has("stderr")) {
            return current(result, object);
        }
        if (object.has("logs") || object.has("results") || object.has("error")) {
            return rich(result, object, requestId);
        }
        if (object.has("content")) {
            String legacy = firstContentText(object);
            if (legacy == null) {
                throw new AgbProtocolException("run_code: No content found in response", requestId);
            }
            return plainText(result, legacy);
        }
        return plainText(result, text);
    }

    /** {@code content[0].text} holding the real payload (a tool answer wrapped once more). */
    private static JsonObject innerPayload(JsonObject object) {
        String first = firstContentText(object);
        JsonObject inner = first == null ? null : Json.object(Json.parse(first));
        return inner != null && (inner.has("result") || inner.has("executionError")) ? inner : null;
    }

    private static ExecutionResult plainText(ExecutionResult.Builder result, String text) {
        return result.result(new MimeBundle(Map.of(MimeBundle.TEXT, text), true)).stdout(text).build();
    }

    private static ExecutionResult current(ExecutionResult.Builder result, JsonObject o) {
        JsonElement items = Json.decode(o.get("result"));
        if (items != null && items.isJsonArray()) {
            for (JsonElement item : items.getAsJsonArray()) {
                result.result(MimeBundles.read(item, false));
            }
        } else if (items != null && !items.isJsonNull()) {
            result.result(MimeBundles.read(items, true));
        }
        strings(o.get("stdout")).forEach(result::stdout);
        strings(o.get("stderr")).forEach(result::stderr);
        String error = Json.string(o, "executionError");
        if (error != null && !error.isEmpty()) {
            result.error(executionError(error, "", ""));
        }
        counts(result, o);
        return result.build();
    }

    private static ExecutionResult rich(ExecutionResult.Builder result, JsonObject o, String requestId) {
        JsonObject logs = Json.object(o.get("logs"));
        if (logs != null) {
            strings(logs.get("stdout")).forEach(result::stdout);
            strings(logs.get("stderr")).forEach(result::stderr);
        }
        JsonElement items = Json.decode(o.get("results"));
        if (items != null && items.isJsonArray()) {
            for (JsonElement item : items.getAsJsonArray()) {
                result.result(MimeBundles.read(item, false));
            }
        }
        JsonObject error = Json.object(o.get("error"));
        if (error != null) {
            String name = Json.string(error, "name");
            String value = Json.string(error, "value");
            result.error(name == null || name.isEmpty()
                    ? executionError(value == null ? "ExecutionError" : value, "", Json.string(error, "traceback"))
                    : timeoutAware(new ExecutionError(name, value, Json.string(error, "traceback"))));
        } else if (Boolean.TRUE.equals(Json.bool(o, "isError"))) {
            result.error(new ExecutionError("ExecutionError", "run_code reported an error (request " + requestId + ")",
                    ""));
        }
        counts(result, o);
        return result.build();
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

    private static String firstContentText(JsonObject object) {
        JsonElement content = object.get("content");
        if (content == null || !content.isJsonArray() || content.getAsJsonArray().isEmpty()) {
            return null;
        }
        JsonObject first = Json.object(content.getAsJsonArray().get(0));
        return first == null ? null : Json.string(first, "text");
    }

    private static String contentTexts(JsonObject object, String separator) {
        JsonElement content = object.get("content");
        List<String> texts = new ArrayList<>();
        if (content != null && content.isJsonArray()) {
            JsonArray items = content.getAsJsonArray();
            for (JsonElement item : items) {
                String text = Json.string(Json.object(item), "text");
                if (text != null) {
                    texts.add(text);
                }
            }
        }
        return String.join(separator, texts);
    }
}
