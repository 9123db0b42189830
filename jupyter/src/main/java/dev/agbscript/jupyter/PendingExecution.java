package dev.agbscript.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Folds what a kernel sends about one {@code execute_request} (matched by the parent msg_id) into an
 * {@link ExecutionResult}, whose builder tells the listener of each part as it comes: streams, displays, the
 * result and the error from iopub, the reply from shell.
 *
 * <p>It is complete when both channels have said all they will: shell with the {@code execute_reply}, iopub
 * with {@code status: idle}. Each channel is ordered, so nothing of the request can come after those. A
 * kernel that loses one of them (tslab did, about one message in 1500) is asked a <em>barrier</em>, a request
 * sent after the execution: the barrier's reply on shell, or any of its messages on iopub, stands for the
 * lost one, since everything sent before it on that channel has arrived.
 */
final class PendingExecution implements MessageHandler {
    private final String requestId;
    private final ErrorParser errors;
    /** Why the execution has no input, to add to the kernel's error when the code asked for some; else empty. */
    private final String noInputBecause;
    private final ExecutionResult.Builder result = ExecutionResult.builder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long startNanos = System.nanoTime();
    private final Set<String> barriers = new HashSet<>();
    private boolean shellDone;
    private boolean iopubDone;
    /** When the first of the two channels was done ({@link System#nanoTime()}), or 0. */
    private long firstDoneNanos;

    PendingExecution(String requestId, ErrorParser errors, ExecutionListener listener) {
        this.requestId = requestId;
        this.errors = errors;
        this.noInputBecause = listener == null ? "" : listener.input().unavailableBecause();
        result.requestId(requestId).listener(listener);
    }

    String requestId() {
        return requestId;
    }

    @Override
    public void onMessage(Channel channel, JupyterMessage message) {
        lock.lock();
        try {
            String parent = message.parentMsgId();
            if (requestId.equals(parent)) {
                fold(message);
            } else if (barriers.contains(parent)) {
                if (channel == Channel.SHELL) {
                    channelDone(true);
                } else if (channel == Channel.IOPUB) {
                    channelDone(false);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fold(JupyterMessage message) {
        JsonObject content = message.content();
        switch (message.msgType()) {
            case "stream" -> {
                String text = message.contentString("text");
                if ("stderr".equals(message.contentString("name"))) {
                    result.stderr(text);
                } else {
                    result.stdout(text);
                }
            }
            case "execute_result", "display_data" -> {
                result.result(new MimeBundle(mimeData(content), "execute_result".equals(message.msgType())));
            }
            case "error" -> error(content);
            case JupyterMessage.LOST -> {
                String lost = "The kernel's " + message.contentString("msg_type") + " for this code was lost: "
                        + message.contentString("reason");
                fail("true".equals(message.contentString("out_of_memory")) ? ExecutionError.limit(lost)
                        : ExecutionError.aborted(lost));
            }
            case "status" -> {
                if ("idle".equals(message.contentString("execution_state"))) {
                    channelDone(false);
                }
            }
            case "execute_reply" -> {
                channelDone(true);
                JsonElement count = content.get("execution_count");
                if (count != null && count.isJsonPrimitive()) {
                    result.executionCount(count.getAsInt());
                }
                pages(content);
                String status = message.contentString("status");
                if ("error".equals(status) && !result.hasError()) {
                    error(content);
                } else if ("aborted".equals(status)) {
                    fail(ExecutionError.aborted("The kernel aborted the execution"));
                }
            }
            default -> { /* execute_input, clear_output, update_display_data: nothing to keep */ }
        }
    }

    /**
     * The pager payloads of a reply ({@code len?} in IPython, R's help): shown where outputs are, as displays,
     * since a program has no pager of the notebook's kind.
     */
    private void pages(JsonObject reply) {
        if (!reply.has("payload") || !reply.get("payload").isJsonArray()) {
            return;
        }
        for (JsonElement payload : reply.getAsJsonArray("payload")) {
            if (payload.isJsonObject() && "page".equals(string(payload.getAsJsonObject(), "source"))) {
                Map<String, String> data = mimeData(payload.getAsJsonObject());
                if (!data.isEmpty()) {
                    result.result(new MimeBundle(data, false));
                }
            }
        }
    }

    private void channelDone(boolean shell) {
        if (shell) {
            shellDone = true;
        } else {
            iopubDone = true;
        }
        if (firstDoneNanos == 0) {
            firstDoneNanos = System.nanoTime();
        }
    }

    private void error(JsonObject content) {
        List<String> traceback = new ArrayList<>();
        if (content.has("traceback") && content.get("traceback").isJsonArray()) {
            content.getAsJsonArray("traceback").forEach(line -> traceback.add(line.getAsString()));
        }
        JsonElement count = content.get("execution_count");
        String value = string(content, "evalue");
        String plainTraceback = ErrorParser.plainText(traceback);
        if (!noInputBecause.isEmpty() && InputSource.NO_INPUT_ERROR.equals(string(content, "ename"))) {
            // the kernel's words say that there is no input; these say why and how to give some
            String because = "(" + noInputBecause + ")";
            value = (value == null || value.isEmpty() ? "" : value + " ") + because;
            plainTraceback = plainTraceback.isBlank() ? plainTraceback : plainTraceback.stripTrailing() + " " + because;
        }
        fail(errors.parse(string(content, "ename"), value, plainTraceback,
                count != null && count.isJsonPrimitive() ? count.getAsInt() : null));
    }

    /** A request sent after this execution whose messages stand for a lost reply or idle status. */
    void addBarrier(String barrierId) {
        lock.lock();
        try {
            barriers.add(barrierId);
        } finally {
            lock.unlock();
        }
    }

    /** Adds text of the client's own to stderr, where the listener and the result see it as the kernel's. */
    void stderr(String text) {
        lock.lock();
        try {
            result.stderr(text);
        } finally {
            lock.unlock();
        }
    }

    /** Records an error (the first one wins; the builder tells the listener). */
    void fail(ExecutionError error) {
        lock.lock();
        try {
            result.error(error);
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

    boolean complete() {
        lock.lock();
        try {
            return shellDone && iopubDone;
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the kernel finished the code ({@link System#nanoTime()}): the first of the reply and the idle
     * status, or 0 while neither has come and the code may still run.
     */
    long finishedNanos() {
        lock.lock();
        try {
            return firstDoneNanos;
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
            while (!(shellDone && iopubDone)) {
                long wait = deadlineNanos - System.nanoTime();
                if (wait <= 0) {
                    return false;
                }
                changed.awaitNanos(wait);
            }
            return true;
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
            } else if (value.isJsonArray() && !type.endsWith("json")) {
                // Jupyter allows multi-line strings as arrays of lines.
                StringBuilder joined = new StringBuilder();
                value.getAsJsonArray().forEach(part -> joined.append(part.getAsString()));
                data.put(type, joined.toString());
            } else {
                data.put(type, JupyterMessage.gson().toJson(value));
            }
        }
        return data;
    }

    private static String string(JsonObject object, String name) {
        JsonElement element = object.get(name);
        return element == null || element.isJsonNull() ? null : element.getAsString();
    }
}
