package dev.agbscript.local;

import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.WireCodec;
import com.google.gson.JsonObject;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completions;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.Prelude;
import dev.agbscript.session.SessionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One Jupyter kernel of a local session, spoken to directly over ZeroMQ. It starts on first use, is
 * started again after it died, and does what jupyter_client does where a hand-written client goes wrong:
 * it nudges with {@code kernel_info_request} until iopub delivers (ZeroMQ's slow joiner would lose the
 * first outputs), gives up on a start after the spec's timeout and tries once more, interrupts by signal
 * or message as the kernel wants, and never waits forever for {@code status: idle}.
 *
 * <p>The session serializes executions; start, stop and interrupt may come from other threads.
 */
final class LocalKernel {
    private static final Logger LOG = Logger.getLogger(LocalKernel.class.getName());
    private static final int START_ATTEMPTS = 2;
    private static final Duration NUDGE_INTERVAL = Duration.ofMillis(200);
    /** How long an interrupted execution may take to stop before the kernel is restarted instead. */
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private final KernelSpec spec;
    private final Path workDir;
    private final Path runtimeDir;
    private final String name;
    private final Map<String, KernelChannels.Handler> pending = new ConcurrentHashMap<>();
    private final AtomicInteger starts = new AtomicInteger();
    /** Released when a start-up answer arrives, so the start loop wakes at once. */
    private final Semaphore startEvents = new Semaphore(0);
    private volatile KernelProcess process;
    private volatile KernelChannels channels;
    private volatile boolean iopubSeen;
    private volatile String version;

    LocalKernel(KernelSpec spec, Path workDir, Path runtimeDir, String name) {
        this.spec = spec;
        this.workDir = workDir;
        this.runtimeDir = runtimeDir;
        this.name = name;
    }

    boolean isRunning() {
        KernelProcess current = process;
        return current != null && current.isAlive() && channels != null;
    }

    String version() {
        return version;
    }

    long pid() {
        KernelProcess current = process;
        return current == null ? -1 : current.pid();
    }

    synchronized void ensureStarted() {
        if (isRunning()) {
            return;
        }
        stop();
        SessionException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                start();
                return;
            } catch (SessionException e) {
                last = e;
                LOG.warning("The " + spec.language() + " kernel did not start (attempt " + attempt + "): "
                        + e.getMessage());
                stop();
            }
        }
        throw last;
    }

    private void start() {
        int number = starts.incrementAndGet();
        ConnectionInfo info = ConnectionInfo.allocate();
        Path connectionFile = runtimeDir.resolve("kernel-" + spec.language().id() + "-" + number + ".json");
        Path log = runtimeDir.resolve("kernel-" + spec.language().id() + ".log");
        try {
            Files.writeString(connectionFile, WireCodec.gson().toJson(info.toJson()), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(connectionFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new SessionException("Cannot write the kernel connection file " + connectionFile, e);
        }
        iopubSeen = false;
        channels = new KernelChannels(info, name, this::dispatch);
        process = KernelProcess.start(spec.command(connectionFile.toString()), workDir, spec.environment(), log);
        awaitKernelInfo();
        Prelude.of(spec.language()).ifPresent(this::runPrelude);
    }

    /** Sends kernel_info_request, every {@link #NUDGE_INTERVAL}, until the reply and some iopub message have come. */
    private void awaitKernelInfo() {
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        AtomicReference<JsonObject> reply = new AtomicReference<>();
        List<String> nudges = new ArrayList<>();
        startEvents.drainPermits();
        long nextNudge = System.nanoTime();
        try {
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    throw new SessionException("The " + spec.language() + " kernel exited at start (code "
                            + process.exitCode() + "): " + process.logTail());
                }
                if (reply.get() != null && iopubSeen) {
                    version = describe(reply.get());
                    return;
                }
                // Keep nudging until iopub has delivered too: each request makes the kernel publish a
                // status, and a SUB socket that joined late has missed the earlier ones.
                if (System.nanoTime() - nextNudge >= 0) {
                    JupyterMessage request = JupyterMessage.request("kernel_info_request", new JsonObject(),
                            channels.session());
                    nudges.add(request.msgId());
                    pending.put(request.msgId(), (channel, message) -> {
                        if ("kernel_info_reply".equals(message.msgType())) {
                            reply.compareAndSet(null, message.content());
                            startEvents.release();
                        }
                    });
                    channels.send(KernelChannels.Channel.SHELL, request);
                    nextNudge = System.nanoTime() + NUDGE_INTERVAL.toNanos();
                }
                startEvents.tryAcquire(Math.max(1, nextNudge - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("Interrupted while the " + spec.language() + " kernel started", e);
        } finally {
            nudges.forEach(pending::remove);
        }
        throw new SessionException("The " + spec.language() + " kernel did not answer within "
                + spec.startTimeout().toSeconds() + " s: " + process.logTail());
    }

    private void runPrelude(String code) {
        try {
            ExecutionResult result = run(new ExecutionRequest(spec.language(), code, Duration.ofSeconds(30), true),
                    ExecutionListener.NONE);
            if (!result.success()) {
                throw new SessionException("The " + spec.language() + " prelude failed: " + result.error().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("Interrupted while the " + spec.language() + " kernel started", e);
        }
    }

    private static String describe(JsonObject kernelInfo) {
        JsonObject languageInfo = kernelInfo.has("language_info") ? kernelInfo.getAsJsonObject("language_info")
                : new JsonObject();
        String language = languageInfo.has("name") ? languageInfo.get("name").getAsString() : "?";
        String languageVersion = languageInfo.has("version") ? languageInfo.get("version").getAsString() : "";
        String implementation = kernelInfo.has("implementation") ? kernelInfo.get("implementation").getAsString() : "";
        String implementationVersion = kernelInfo.has("implementation_version")
                ? kernelInfo.get("implementation_version").getAsString() : "";
        return (language + " " + languageVersion).trim()
                + (implementation.isEmpty() ? "" : " (" + (implementation + " " + implementationVersion).trim() + ")");
    }

    private void dispatch(KernelChannels.Channel channel, JupyterMessage message) {
        if (channel == KernelChannels.Channel.IOPUB && !iopubSeen) {
            iopubSeen = true;
            startEvents.release();
        }
        String parent = message.parentMsgId();
        KernelChannels.Handler handler = parent == null ? null : pending.get(parent);
        if (handler != null) {
            handler.onMessage(channel, message);
        }
    }

    ExecutionResult execute(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        ensureStarted();
        return run(request, listener);
    }

    private ExecutionResult run(ExecutionRequest request, ExecutionListener listener) throws InterruptedException {
        KernelChannels currentChannels = channels;
        KernelProcess currentProcess = process;
        JsonObject content = new JsonObject();
        content.addProperty("code", request.code());
        // Jupyter's "silent" would also drop the result; housekeeping needs it, so only history is off.
        content.addProperty("silent", false);
        content.addProperty("store_history", !request.silent());
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        // Executions are sent one at a time, so there is never a queue to abort; and a kernel that aborts
        // after an error (ipykernel does, briefly) would otherwise abort the next request if it came quickly.
        content.addProperty("stop_on_error", false);
        JupyterMessage message = JupyterMessage.request("execute_request", content, currentChannels.session());
        PendingExecution execution = new PendingExecution(spec.language(), message.msgId(), listener);
        pending.put(message.msgId(), execution);
        try {
            currentChannels.send(KernelChannels.Channel.SHELL, message);
            long deadline = System.nanoTime() + request.timeout().toNanos();
            while (true) {
                long now = System.nanoTime();
                if (execution.await(Math.min(deadline, now + TimeUnit.MILLISECONDS.toNanos(250)))) {
                    return execution.build();
                }
                if (!currentProcess.isAlive()) {
                    execution.fail(ExecutionError.kernelDied("The " + spec.language().displayName()
                            + " kernel exited (code " + currentProcess.exitCode() + ") while running this code;"
                            + " its state is lost, and the next execution starts a new kernel"));
                    stop();
                    return execution.build();
                }
                if (System.nanoTime() - deadline >= 0) {
                    boolean stopped = interruptAndSettle(execution);
                    execution.replaceError(ExecutionError.timeout("Execution timed out after "
                            + seconds(request.timeout()) + (stopped
                            ? "; the kernel was interrupted and keeps its state"
                            : "; the kernel did not stop and was restarted, so its state is lost")));
                    return execution.build();
                }
            }
        } catch (InterruptedException e) {
            interruptAndSettle(execution);
            throw e;
        } finally {
            pending.remove(message.msgId());
        }
    }

    /** Interrupts the running code; restarts the kernel when it does not stop in time. */
    private boolean interruptAndSettle(PendingExecution execution) {
        interrupt();
        try {
            if (execution.await(System.nanoTime() + INTERRUPT_GRACE.toNanos())) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warning("The " + spec.language() + " kernel ignored an interrupt; restarting it");
        stop();
        return false;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** How long the REPL-facing requests may take: an answer later than this is no help to a person typing. */
    private static final Duration QUICK_REQUEST = Duration.ofSeconds(2);

    Completeness isComplete(String code) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        return quickRequest("is_complete_request", content).map(reply -> {
            String status = reply.has("status") ? reply.get("status").getAsString() : "unknown";
            String indent = reply.has("indent") ? reply.get("indent").getAsString() : "";
            return switch (status) {
                case "complete" -> new Completeness(Completeness.Status.COMPLETE, "");
                case "incomplete" -> new Completeness(Completeness.Status.INCOMPLETE, indent);
                case "invalid" -> new Completeness(Completeness.Status.INVALID, "");
                default -> Completeness.UNKNOWN;
            };
        }).orElse(Completeness.UNKNOWN);
    }

    Completions complete(String code, int cursor) {
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

    /** A shell request answered by one reply, or empty when none came within {@link #QUICK_REQUEST}. */
    private Optional<JsonObject> quickRequest(String type, JsonObject content) {
        ensureStarted();
        KernelChannels currentChannels = channels;
        JupyterMessage request = JupyterMessage.request(type, content, currentChannels.session());
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(request.msgId(), (channel, message) -> {
            if (channel == KernelChannels.Channel.SHELL) {
                reply.complete(message.content());
            }
        });
        try {
            currentChannels.send(KernelChannels.Channel.SHELL, request);
            return Optional.of(reply.get(QUICK_REQUEST.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            pending.remove(request.msgId());
        }
    }

    boolean interrupt() {
        KernelProcess current = process;
        KernelChannels currentChannels = channels;
        if (current == null || !current.isAlive()) {
            return false;
        }
        if (spec.interruptMode() == KernelSpec.InterruptMode.SIGNAL) {
            current.sendInterrupt();
        } else if (currentChannels != null) {
            currentChannels.send(KernelChannels.Channel.CONTROL,
                    JupyterMessage.request("interrupt_request", new JsonObject(), currentChannels.session()));
        }
        return true;
    }

    /** Shuts the kernel down (politely, then by force). It starts again on the next execution. */
    synchronized void stop() {
        KernelChannels currentChannels = channels;
        KernelProcess currentProcess = process;
        channels = null;
        process = null;
        version = null;
        boolean askedToExit = false;
        if (currentChannels != null) {
            if (currentProcess != null && currentProcess.isAlive()) {
                JsonObject content = new JsonObject();
                content.addProperty("restart", false);
                try {
                    currentChannels.send(KernelChannels.Channel.CONTROL,
                            JupyterMessage.request("shutdown_request", content, currentChannels.session()));
                    askedToExit = true;
                } catch (IllegalStateException closed) {
                    // connection already gone: kill below
                }
            }
        }
        if (currentProcess != null) {
            currentProcess.kill(askedToExit ? 500 : 0);
        }
        if (currentChannels != null) {
            currentChannels.close();
        }
    }
}
