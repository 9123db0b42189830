package dev.agbscript.jupyter;

import com.google.gson.JsonObject;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.Prelude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Speaks the Jupyter messaging protocol to one running kernel over any {@link KernelConnection}: requests,
 * replies, and the dispatch of incoming messages to the request they answer (by parent msg_id). What only
 * the kernel's owner can do (signal it, see that it died) comes through a {@link KernelControl}.
 *
 * <p>Executions are serialized by the caller; the other requests may come from any thread.
 */
public final class KernelClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KernelClient.class.getName());
    private static final Duration NUDGE_INTERVAL = Duration.ofMillis(200);
    /**
     * How soon after a kernel_info reply without any iopub message the next request goes: the kernel published its
     * status around the reply, so a subscription that is in place sees it within this; one that joined late has
     * missed it, and the next request's status comes a round trip later instead of a whole interval.
     */
    private static final Duration AFTER_REPLY_NUDGE = Duration.ofMillis(10);
    private static final Duration PRELUDE_TIMEOUT = Duration.ofSeconds(30);
    /** How often a waiting execution looks at the kernel's health and its barriers. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /** How long after the reply (or idle) the other one may take before a barrier is sent, and then resent. */
    private static final Duration BARRIER_DELAY = Duration.ofMillis(200);
    private static final Duration BARRIER_INTERVAL = Duration.ofSeconds(1);
    /** How long an interrupted execution may take to stop before the kernel is restarted instead. */
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
    /** How long the REPL-facing requests may take: an answer later than this is no help to a person typing. */
    private static final Duration QUICK_REQUEST = Duration.ofSeconds(2);
    /** Help is asked for on purpose and read at leisure; a kernel just started may need longer (agb-jshell's JShell). */
    private static final Duration INSPECT_REQUEST = Duration.ofSeconds(10);
    /** Told on stderr when the connection dropped during an execution (see {@link KernelConnection#drops()}). */
    static final String DROPPED = "[agb] The connection to the kernel dropped during this run and came back: output"
            + " the kernel sent at the instant of the drop may be missing above\n";

    private final Language language;
    private final ErrorParser errors;
    private final KernelControl control;
    private final KernelConnection connection;
    private final Map<String, MessageHandler> pending = new ConcurrentHashMap<>();
    /** Released when a start-up answer arrives, so the start loop wakes at once. */
    private final Semaphore startEvents = new Semaphore(0);
    private volatile boolean iopubSeen;
    private volatile String version;

    /**
     * @param connect opens the connection that delivers incoming messages to the handler it is given
     */
    public KernelClient(Language language, ErrorParser errors, KernelControl control,
                        Function<MessageHandler, KernelConnection> connect) {
        this.language = language;
        this.errors = errors;
        this.control = control;
        this.connection = connect.apply(this::dispatch);
    }

    private void dispatch(Channel channel, JupyterMessage message) {
        if (channel == Channel.IOPUB && !iopubSeen) {
            iopubSeen = true;
            startEvents.release();
        }
        String parent = message.parentMsgId();
        MessageHandler handler = parent == null ? null : pending.get(parent);
        if (handler != null) {
            handler.onMessage(channel, message);
        }
    }

    /** What the kernel reported of itself, e.g. {@code python 3.11.2 (ipython 8.5.0)}; null before it is ready. */
    public String version() {
        return version;
    }

    /**
     * Waits until the kernel answers, then runs the language's prelude.
     *
     * @throws KernelException when it exits, does not answer within the timeout, or the prelude fails
     */
    public void start(Duration timeout) {
        awaitKernelInfo(timeout);
        Prelude.of(language).ifPresent(this::runPrelude);
    }

    /**
     * Sends kernel_info_request until the reply and some iopub message have come: each request makes the kernel
     * publish a status, and a SUB socket that joined late (ZeroMQ's slow joiner) has missed the earlier ones. The
     * first request waits in the connection until the kernel has bound its sockets; each reply that comes before
     * any iopub message is followed by the next request {@link #AFTER_REPLY_NUDGE} later, so the wait follows the
     * protocol; {@link #NUDGE_INTERVAL} only repeats a request that got no reply.
     */
    private void awaitKernelInfo(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger replies = new java.util.concurrent.atomic.AtomicInteger();
        int repliesSeen = 0;
        List<String> nudges = new ArrayList<>();
        long nextNudge = start;
        try {
            while (System.nanoTime() - deadline < 0) {
                Optional<String> failure = control.failure(true, start);
                if (failure.isPresent()) {
                    throw new KernelException("The " + language.displayName() + " kernel " + failure.get() + " at start");
                }
                if (reply.isDone() && iopubSeen) {
                    version = describe(reply.join());
                    int sent = nudges.size();
                    LOG.fine(() -> "The " + language.displayName() + " kernel answered after "
                            + (System.nanoTime() - start) / 1_000_000 + " ms and " + sent + " kernel_info requests");
                    return;
                }
                int answered = replies.get();
                if (answered != repliesSeen) {
                    repliesSeen = answered;
                    long soon = System.nanoTime() + AFTER_REPLY_NUDGE.toNanos();
                    if (nextNudge - soon > 0) {
                        nextNudge = soon;
                    }
                }
                if (System.nanoTime() - nextNudge >= 0) {
                    JupyterMessage request = request("kernel_info_request", new JsonObject());
                    nudges.add(request.msgId());
                    pending.put(request.msgId(), (channel, message) -> {
                        if ("kernel_info_reply".equals(message.msgType())) {
                            reply.complete(message.content());
                            replies.incrementAndGet();
                            startEvents.release();
                        }
                    });
                    connection.send(Channel.SHELL, request);
                    nextNudge = System.nanoTime() + NUDGE_INTERVAL.toNanos();
                }
                startEvents.tryAcquire(Math.max(1, nextNudge - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("Interrupted while the " + language + " kernel started", e);
        } finally {
            nudges.forEach(pending::remove);
        }
        throw new KernelException("The " + language.displayName() + " kernel did not answer within " + seconds(timeout));
    }

    private void runPrelude(String code) {
        try {
            ExecutionResult result = execute(new ExecutionRequest(language, code, PRELUDE_TIMEOUT, true),
                    ExecutionListener.NONE);
            if (!result.success()) {
                throw new KernelException("The " + language.displayName() + " prelude failed: " + result.error().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("Interrupted while the " + language + " kernel started", e);
        }
    }

    private static String describe(JsonObject kernelInfo) {
        JsonObject languageInfo = kernelInfo.has("language_info") ? kernelInfo.getAsJsonObject("language_info")
                : new JsonObject();
        String language = string(languageInfo, "name", "?");
        String implementation = string(kernelInfo, "implementation", "");
        String implementationVersion = string(kernelInfo, "implementation_version", "");
        return (language + " " + string(languageInfo, "version", "")).trim()
                + (implementation.isEmpty() ? "" : " (" + (implementation + " " + implementationVersion).trim() + ")");
    }

    private static String string(JsonObject object, String name, String otherwise) {
        return object.has(name) && object.get(name).isJsonPrimitive() ? object.get(name).getAsString() : otherwise;
    }

    /**
     * Runs the code and returns when the kernel has said all it will about it (see {@link PendingExecution}),
     * when the timeout has passed (the code is interrupted; a kernel that does not stop is restarted), or when
     * the kernel died or hung (an error of kind {@link ExecutionError.Kind#KERNEL_DIED}; it is stopped).
     *
     * @throws InterruptedException when the calling thread is interrupted; the code is interrupted too
     */
    public ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        JsonObject content = new JsonObject();
        content.addProperty("code", request.code());
        // Jupyter's "silent" would also drop the result; housekeeping needs it, so only history is off.
        content.addProperty("silent", false);
        content.addProperty("store_history", !request.silent());
        content.add("user_expressions", new JsonObject());
        // Executions are sent one at a time, so there is never a queue to abort; and a kernel that aborts
        // after an error (ipykernel does, briefly) would otherwise abort the next request if it came quickly.
        content.addProperty("stop_on_error", false);
        JupyterMessage message = request("execute_request", content);
        PendingExecution execution = new PendingExecution(message.msgId(), errors, listener);
        InputReplier input = new InputReplier(language, listener.input(), execution, connection, control);
        // Without input a kernel that honours this fails the code's request at once instead of waiting
        content.addProperty("allow_stdin", input.allowsInput());
        pending.put(message.msgId(), (channel, incoming) -> {
            if (channel == Channel.STDIN && "input_request".equals(incoming.msgType())) {
                input.onRequest(incoming);
            } else {
                execution.onMessage(channel, incoming);
            }
        });
        List<String> barriers = new ArrayList<>();
        int drops = connection.drops();
        try {
            connection.send(Channel.SHELL, message);
            long deadline = request.deadlineNanos(System.nanoTime());
            Optional<String> failure = settle(execution, deadline, barriers);
            if (connection.drops() != drops) {
                execution.stderr(DROPPED);
            }
            if (failure.isPresent()) {
                execution.fail(ExecutionError.kernelDied("The " + language.displayName() + " kernel "
                        + failure.get() + " while running this code; its state is lost, and the next execution"
                        + " starts a new kernel"));
                control.stop();
            } else if (!execution.complete()) {
                boolean stopped = interruptAndSettle(execution, barriers);
                execution.replaceError(ExecutionError.timeout("Execution timed out after "
                        + seconds(request.timeout()) + (stopped
                        ? "; the kernel was interrupted and keeps its state"
                        : "; the kernel did not stop and was restarted, so its state is lost")));
            }
            return execution.build();
        } catch (InterruptedException e) {
            interruptAndSettle(execution, barriers);
            throw e;
        } finally {
            input.close();
            pending.remove(message.msgId());
            barriers.forEach(pending::remove);
        }
    }

    /**
     * Waits until the execution is complete or the deadline passes, sending barriers when one channel is done
     * and the other is not.
     *
     * @return why the kernel can no longer answer, or empty
     */
    private Optional<String> settle(PendingExecution execution, long deadline, List<String> barriers)
            throws InterruptedException {
        long start = System.nanoTime();
        long nextBarrier = 0;
        while (!execution.await(Math.min(deadline, System.nanoTime() + CHECK_INTERVAL.toNanos()))) {
            long now = System.nanoTime();
            long finished = execution.finishedNanos();
            if (finished != 0) {
                if (nextBarrier == 0) {
                    nextBarrier = finished + BARRIER_DELAY.toNanos();
                }
                if (now - nextBarrier >= 0) {
                    JupyterMessage barrier = request("kernel_info_request", new JsonObject());
                    barriers.add(barrier.msgId());
                    execution.addBarrier(barrier.msgId());
                    pending.put(barrier.msgId(), execution);
                    connection.send(Channel.SHELL, barrier);
                    nextBarrier = now + BARRIER_INTERVAL.toNanos();
                }
            }
            Optional<String> failure = control.failure(finished == 0, finished == 0 ? start : finished);
            if (failure.isPresent() || now - deadline >= 0) {
                return failure;
            }
        }
        return Optional.empty();
    }

    /** Interrupts the running code; stops the kernel when it does not stop in time. */
    private boolean interruptAndSettle(PendingExecution execution, List<String> barriers) {
        control.interrupt();
        try {
            if (settle(execution, System.nanoTime() + INTERRUPT_GRACE.toNanos(), barriers).isEmpty()
                    && execution.complete()) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warning("The " + language.displayName() + " kernel ignored an interrupt; restarting it");
        control.stop();
        return false;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    public Completeness isComplete(String code) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        return quickRequest("is_complete_request", content).map(reply -> {
            String indent = string(reply, "indent", "");
            return switch (string(reply, "status", "unknown")) {
                case "complete" -> new Completeness(Completeness.Status.COMPLETE, "");
                case "incomplete" -> new Completeness(Completeness.Status.INCOMPLETE, indent);
                case "invalid" -> new Completeness(Completeness.Status.INVALID, "");
                default -> Completeness.UNKNOWN;
            };
        }).orElse(Completeness.UNKNOWN);
    }

    public Completions complete(String code, int cursor) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", cursor);
        return quickRequest("complete_request", content).map(reply -> {
            List<String> matches = new ArrayList<>();
            if (reply.has("matches") && reply.get("matches").isJsonArray()) {
                reply.getAsJsonArray("matches").forEach(match -> matches.add(match.getAsString()));
            }
            int start = reply.has("cursor_start") ? reply.get("cursor_start").getAsInt() : cursor;
            int end = reply.has("cursor_end") ? reply.get("cursor_end").getAsInt() : cursor;
            return new Completions(matches, start, end);
        }).orElse(Completions.none(cursor));
    }

    /**
     * What the name at the cursor is ({@code inspect_request}): the reply's MIME data when the kernel found it,
     * else empty (also when it does not answer in time).
     */
    public Optional<MimeBundle> inspect(String code, int cursor, boolean detailed) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", cursor);
        content.addProperty("detail_level", detailed ? 1 : 0);
        return quickRequest("inspect_request", content, INSPECT_REQUEST)
                .filter(reply -> "ok".equals(string(reply, "status", "")) && reply.has("found")
                        && reply.get("found").isJsonPrimitive() && reply.get("found").getAsBoolean())
                .map(PendingExecution::mimeData)
                .filter(data -> !data.isEmpty())
                .map(data -> new MimeBundle(data, false));
    }

    /** A shell request answered by one reply, or empty when none came within {@link #QUICK_REQUEST}. */
    private Optional<JsonObject> quickRequest(String type, JsonObject content) {
        return quickRequest(type, content, QUICK_REQUEST);
    }

    /** A shell request answered by one reply, or empty when none came within the time given. */
    private Optional<JsonObject> quickRequest(String type, JsonObject content, Duration limit) {
        JupyterMessage request = request(type, content);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(request.msgId(), (channel, message) -> {
            if (channel == Channel.SHELL) {
                reply.complete(message.content());
            }
        });
        try {
            connection.send(Channel.SHELL, request);
            return Optional.of(reply.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            pending.remove(request.msgId());
        }
    }

    /** An {@code interrupt_request} on control, for kernels that are interrupted by message. */
    public void sendInterruptRequest() {
        connection.send(Channel.CONTROL, request("interrupt_request", new JsonObject()));
    }

    /** A {@code shutdown_request} on control: the kernel should exit soon after. */
    public void sendShutdownRequest() {
        JsonObject content = new JsonObject();
        content.addProperty("restart", false);
        connection.send(Channel.CONTROL, request("shutdown_request", content));
    }

    private JupyterMessage request(String type, JsonObject content) {
        return JupyterMessage.request(type, content, connection.clientSessionId());
    }

    /** Closes the connection; the kernel itself is its owner's to stop. */
    @Override
    public void close() {
        connection.close();
    }
}
