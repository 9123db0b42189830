package dev.agbscript.local;

import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.WireCodec;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects everything a kernel sends about one {@code execute_request}, matched by the parent msg_id:
 * streams, displays, the result and the error from iopub, the reply from shell.
 *
 * <p>It is complete when both the reply and {@code status: idle} have come. Some kernels lose the idle
 * status now and then, so a reply followed by {@link #IDLE_GRACE} of silence completes it too.
 */
final class PendingExecution implements KernelChannels.Handler {
    static final Duration IDLE_GRACE = Duration.ofMillis(500);

    private final Language language;
    private final ExecutionListener listener;
    private final ExecutionResult.Builder result = ExecutionResult.builder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long startNanos = System.nanoTime();
    private boolean replied;
    private boolean idle;
    private long lastMessageNanos = startNanos;
    private String replyStatus;

    PendingExecution(Language language, String requestId, ExecutionListener listener) {
        this.language = language;
        this.listener = listener;
        result.requestId(requestId);
    }

    @Override
    public void onMessage(KernelChannels.Channel channel, JupyterMessage message) {
        JsonObject content = message.content();
        lock.lock();
        try {
            lastMessageNanos = System.nanoTime();
            switch (message.msgType()) {
                case "stream" -> {
                    String text = message.contentString("text");
                    if ("stderr".equals(message.contentString("name"))) {
                        result.stderr(text);
                        listener.onStderr(text);
                    } else {
                        result.stdout(text);
                        listener.onStdout(text);
                    }
                }
                case "execute_result", "display_data" -> {
                    MimeBundle bundle = new MimeBundle(mimeData(content), "execute_result".equals(message.msgType()));
                    result.result(bundle);
                    listener.onResult(bundle);
                }
                case "error" -> error(content);
                case "status" -> idle |= "idle".equals(message.contentString("execution_state"));
                case "execute_reply" -> {
                    replied = true;
                    replyStatus = message.contentString("status");
                    if (content.has("execution_count") && !content.get("execution_count").isJsonNull()) {
                        result.executionCount(content.get("execution_count").getAsInt());
                    }
                    if ("error".equals(replyStatus) && !result.hasError()) {
                        error(content);
                    } else if ("aborted".equals(replyStatus) && !result.hasError()) {
                        fail(ExecutionError.aborted("The kernel aborted the execution"));
                    }
                }
                default -> { /* execute_input, clear_output, update_display_data: nothing to keep */ }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void error(JsonObject content) {
        List<String> traceback = new ArrayList<>();
        if (content.has("traceback") && content.get("traceback").isJsonArray()) {
            content.getAsJsonArray("traceback").forEach(line -> traceback.add(line.getAsString()));
        }
        Integer count = content.has("execution_count") && content.get("execution_count").isJsonPrimitive()
                ? content.get("execution_count").getAsInt() : null;
        fail(KernelErrors.parse(language, string(content, "ename"), string(content, "evalue"), traceback, count));
    }

    /** Records an error (the first one wins) and tells the listener. */
    void fail(ExecutionError error) {
        lock.lock();
        try {
            if (!result.hasError()) {
                result.error(error);
                listener.onError(error);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records an error in place of any other, e.g. a timeout in place of the interrupt it caused. */
    void replaceError(ExecutionError error) {
        lock.lock();
        try {
            result.replaceError(error);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until complete or until the deadline ({@link System#nanoTime()}).
     *
     * @return true when complete
     */
    boolean await(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                if (replied && (idle || now - lastMessageNanos >= IDLE_GRACE.toNanos())) {
                    return true;
                }
                long wait = deadlineNanos - now;
                if (wait <= 0) {
                    return false;
                }
                if (replied) {
                    wait = Math.min(wait, IDLE_GRACE.toNanos() - (now - lastMessageNanos));
                }
                changed.awaitNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        } finally {
            lock.unlock();
        }
    }

    boolean replied() {
        lock.lock();
        try {
            return replied;
        } finally {
            lock.unlock();
        }
    }

    ExecutionResult build() {
        lock.lock();
        try {
            return result.executionTime(Duration.ofNanos(System.nanoTime() - startNanos)).build();
        } finally {
            lock.unlock();
        }
    }

    /** A MIME bundle's data as text: strings as they are, JSON values (and JSON-in-a-string) as JSON. */
    static Map<String, String> mimeData(JsonObject content) {
        Map<String, String> data = new LinkedHashMap<>();
        JsonObject raw = content.has("data") && content.get("data").isJsonObject()
                ? content.getAsJsonObject("data") : new JsonObject();
        for (Map.Entry<String, JsonElement> entry : raw.entrySet()) {
            String type = entry.getKey();
            JsonElement value = entry.getValue();
            if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
                // Text as it is; a JSON type sent as a JSON string (IRkernel) is already the document.
                data.put(type, value.getAsString());
            } else if (value.isJsonArray() && !isJsonType(type)) {
                // Jupyter allows multi-line strings as arrays of lines.
                StringBuilder joined = new StringBuilder();
                value.getAsJsonArray().forEach(part -> joined.append(part.getAsString()));
                data.put(type, joined.toString());
            } else {
                data.put(type, WireCodec.gson().toJson(value));
            }
        }
        return data;
    }

    private static boolean isJsonType(String mimeType) {
        return mimeType.endsWith("json");
    }

    private static String string(JsonObject object, String name) {
        JsonElement element = object.get(name);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }
}
