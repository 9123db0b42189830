package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import java.util.concurrent.CompletableFuture;

/**
 * One streamed {@code run_code}: folds the frames of its invocation id into a result and hands each output
 * to the listener as it arrives (agb-protocol.md §4, read as {@code code.py _run_code_stream_ws} reads
 * them). Frames come on the WebSocket's reader thread; the caller waits on {@link #outcome()}.
 */
final class StreamInvocation {
    private final String id;
    private final ExecutionListener listener;
    private final ExecutionResult.Builder result;
    private final Outputs outputs = new Outputs();
    private final CompletableFuture<ExecutionResult> outcome = new CompletableFuture<>();

    StreamInvocation(String id, ExecutionListener listener) {
        this.id = id;
        this.listener = listener;
        this.result = ExecutionResult.builder().requestId(id);
    }

    String id() {
        return id;
    }

    CompletableFuture<ExecutionResult> outcome() {
        return outcome;
    }

    /** Applies one frame's {@code data}; returns true when the invocation is over. */
    synchronized boolean accept(JsonObject data) {
        if (outcome.isDone()) {
            return true;
        }
        String phase = Json.string(data, "phase");
        JsonElement error = data.get("error");
        if ("error".equals(phase) || (error != null && error.isJsonPrimitive() && !error.getAsString().isEmpty())) {
            // The service ended the run without an end frame: it refused or dropped it.
            ExecutionError aborted = ExecutionError.aborted("the AGB service reported an error for invocation " + id
                    + ": " + data);
            result.replaceError(aborted);
            listener.onError(aborted);
            complete();
            return true;
        }
        if ("event".equals(phase)) {
            event(data);
            return false;
        }
        if ("end".equals(phase)) {
            end(data);
            return true;
        }
        outcome.completeExceptionally(new AgbProtocolException("run_code stream: unknown phase in " + data, id));
        return true;
    }

    private void event(JsonObject data) {
        String type = String.valueOf(Json.string(data, "eventType"));
        switch (type) {
            case "stdout" -> {
                String chunk = chunk(data);
                if (chunk != null) {
                    result.stdout(chunk);
                    listener.onStdout(chunk);
                }
            }
            case "stderr" -> {
                String chunk = chunk(data);
                if (chunk != null) {
                    result.stderr(chunk);
                    listener.onStderr(chunk);
                }
            }
            case "result" -> {
                Outputs.Output output = resultOutput(data.get("result"));
                outputs.add(output);
                listener.onResult(Outputs.asSent(output));
            }
            case "error" -> {
                JsonElement payload = data.get("error");
                ExecutionError executionError = errorOf(payload == null || payload.isJsonNull() ? data : payload);
                result.error(executionError);
                listener.onError(executionError);
            }
            default -> { } // an event type this client does not know: nothing to show
        }
    }

    /** A chunk that is not a string (a number, null) is dropped, as the SDK drops it. */
    private static String chunk(JsonObject data) {
        JsonElement chunk = data.get("chunk");
        return chunk != null && chunk.isJsonPrimitive() && chunk.getAsJsonPrimitive().isString()
                ? chunk.getAsString() : null;
    }

    /**
     * {@code {"mime": {…}, "isMainResult": …}}; without {@code mime} the output is empty; a result that is
     * not an object is text and never the main result.
     */
    private static Outputs.Output resultOutput(JsonElement element) {
        if (element == null || !element.isJsonObject()) {
            String text = element == null || element.isJsonNull() ? "None"
                    : element.isJsonPrimitive() ? element.getAsString() : element.toString();
            return MimeBundles.text(text, Boolean.FALSE);
        }
        JsonObject r = element.getAsJsonObject();
        Boolean flag = Json.bool(r, "isMainResult");
        Boolean snake = Json.bool(r, "is_main_result");
        Boolean main = Boolean.TRUE.equals(flag) || Boolean.TRUE.equals(snake) ? Boolean.TRUE
                : flag != null || snake != null ? Boolean.FALSE : null;
        JsonObject mime = r.get("mime") != null && r.get("mime").isJsonObject() ? r.getAsJsonObject("mime")
                : new JsonObject();
        return MimeBundles.fromObject(mime, main);
    }

    /**
     * The error event's payload: {@code data.error}, or {@code data} itself when that is absent. Its
     * {@code code} names it ({@code ExecutionError} otherwise), {@code message} (else {@code error}) is its
     * value, {@code traceId} its traceback.
     */
    private static ExecutionError errorOf(JsonElement payload) {
        if (!payload.isJsonObject()) {
            return new ExecutionError("ExecutionError", payload.isJsonPrimitive() ? payload.getAsString()
                    : payload.toString(), "");
        }
        JsonObject e = payload.getAsJsonObject();
        String code = Json.string(e, "code");
        String message = Json.string(e, "message");
        if (message == null || message.isEmpty()) {
            JsonElement inner = e.get("error");
            message = inner != null && inner.isJsonPrimitive() ? inner.getAsString() : "";
        }
        String traceId = Json.string(e, "traceId");
        String traceback = traceId == null || traceId.isEmpty() ? "" : "traceId=" + traceId;
        if (code == null || code.isEmpty() || code.equals("ExecutionError")) {
            return message.isEmpty() ? new ExecutionError("ExecutionError", "", traceback)
                    : RunCodeParser.executionError(message, "", traceback);
        }
        return new ExecutionError(code, message, traceback);
    }

    private void end(JsonObject data) {
        RunCodeParser.counts(result, data);
        String executionError = Json.string(data, "executionError");
        if (executionError != null && !executionError.isEmpty()) {
            ExecutionError e = RunCodeParser.executionError(executionError, "", "");
            if (e.isTimeout()) {
                result.replaceError(e);
            } else {
                result.error(e);
            }
        } else if ("failed".equals(Json.string(data, "status")) && !result.hasError()) {
            result.error(new ExecutionError("ExecutionError", "the run failed (invocation " + id + ")", ""));
        }
        complete();
    }

    private void complete() {
        outputs.bundles().forEach(result::result);
        outcome.complete(result.build());
    }

    /** Fails the invocation, e.g. when the connection dropped; later frames are ignored. */
    synchronized void fail(RuntimeException cause) {
        outcome.completeExceptionally(cause);
    }

    /**
     * Ends the invocation as timed out, keeping what arrived; later frames are ignored.
     *
     * @return the timed-out result, or null when the invocation had ended just before
     */
    synchronized ExecutionResult timeOut(ExecutionError timeout) {
        if (outcome.isDone()) {
            return null;
        }
        outputs.bundles().forEach(result::result);
        ExecutionResult timedOut = result.replaceError(timeout).build();
        outcome.complete(timedOut);
        listener.onError(timeout);
        return timedOut;
    }
}
