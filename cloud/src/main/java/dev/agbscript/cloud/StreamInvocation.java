package dev.agbscript.cloud;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import java.util.concurrent.CompletableFuture;

/**
 * One streamed {@code run_code}: folds the frames of its invocation id into a result and hands each output
 * to the listener as it arrives (agb-protocol.md §4). Frames come on the WebSocket's reader thread; the
 * caller waits on {@link #outcome()}.
 */
final class StreamInvocation {
    private final String id;
    private final ExecutionListener listener;
    private final ExecutionResult.Builder result;
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
            outcome.completeExceptionally(new AgbProtocolException("run_code stream: remote error " + data, id));
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
                String chunk = String.valueOf(Json.string(data, "chunk"));
                result.stdout(chunk);
                listener.onStdout(chunk);
            }
            case "stderr" -> {
                String chunk = String.valueOf(Json.string(data, "chunk"));
                result.stderr(chunk);
                listener.onStderr(chunk);
            }
            case "result" -> {
                MimeBundle bundle = resultBundle(data.get("result"));
                result.result(bundle);
                listener.onResult(bundle);
            }
            case "error" -> {
                JsonObject e = Json.object(data.get("error"));
                ExecutionError executionError = e == null
                        ? RunCodeParser.executionError(String.valueOf(Json.string(data, "error")), "", "")
                        : errorOf(e);
                result.error(executionError);
                listener.onError(executionError);
            }
            default -> { } // an event type this client does not know: nothing to show
        }
    }

    private static MimeBundle resultBundle(JsonElement element) {
        JsonObject r = Json.object(element);
        if (r == null) {
            return MimeBundles.read(element, true);
        }
        JsonObject mime = Json.object(r.get("mime"));
        Boolean main = Json.bool(r, "isMainResult", "is_main_result");
        return mime != null ? MimeBundles.fromObject(mime, main, false) : MimeBundles.fromObject(r, main, false);
    }

    private static ExecutionError errorOf(JsonObject e) {
        String code = Json.string(e, "code");
        String message = String.valueOf(Json.string(e, "message"));
        String traceId = Json.string(e, "traceId");
        String traceback = traceId == null ? "" : "traceId=" + traceId;
        return code == null || code.isEmpty() || code.equals("ExecutionError")
                ? RunCodeParser.executionError(message, "", traceback)
                : new ExecutionError(code, message, traceback);
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
        ExecutionResult timedOut = result.replaceError(timeout).build();
        outcome.complete(timedOut);
        listener.onError(timeout);
        return timedOut;
    }
}
