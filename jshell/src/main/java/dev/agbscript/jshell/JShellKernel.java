package dev.agbscript.jshell;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.jshell.agent.HostChannel;
import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.SocketLoop;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.session.MimeBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A Jupyter kernel for Java on the JDK's JShell:
 * {@code java -cp <classes:jeromq:gson> dev.agbscript.jshell.JShellKernel <connection-file>}, over the
 * {@code tcp} or the {@code ipc} transport (see {@link IpcRelay}).
 *
 * <p>Snippets run in a separate agent JVM ({@link dev.agbscript.jshell.agent.JShellAgent}) reached over
 * a TCP_NODELAY socket; their stdout and stderr stream live to iopub, {@code display.*} calls become
 * {@code display_data}, and the last expression's value comes back as {@code execute_result} with the value
 * protocol's JSON. Shell requests run one at a time on the execution thread; control requests
 * ({@code interrupt_request}, {@code shutdown_request}) are served at once. JShell starts in the background
 * while the kernel already answers {@code kernel_info_request}.
 */
public final class JShellKernel {
    private static final Logger LOG = Logger.getLogger(JShellKernel.class.getName());
    static final String IMPLEMENTATION = "agb-jshell";
    static final String IMPLEMENTATION_VERSION = "0.1.0";
    /**
     * JVM options of the kernel process itself (it compiles snippets; they run in the agent): C1 only and
     * serial GC start faster and use less memory, and javac's work per snippet is short. JShell's and javac's
     * packages are opened for {@link SpentSnippets}, which keeps evals from slowing down as a session ages.
     */
    public static final List<String> HOST_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-XX:-UsePerfData", "-Dfile.encoding=UTF-8",
            "--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED");

    /** Environment variable: extra options of the agent JVM, space-separated (e.g. {@code -Xmx2g}). */
    public static final String AGENT_OPTIONS_ENV = "AGB_JAVA_AGENT_OPTS";

    private final SocketLoop sockets;
    private final Publisher publisher;
    private final SnippetInput stdin;
    private final BlockingQueue<JupyterMessage> shellQueue = new LinkedBlockingQueue<>();
    private final AtomicReference<String> lastValueJson = new AtomicReference<>();
    /** The running JShell; replaced by a new one when its agent JVM dies. */
    private volatile CompletableFuture<JShell> shell = new CompletableFuture<>();
    private volatile CellRunner runner;
    private volatile boolean executing;
    /** Counts executions, so a late stop never hits the execution after the interrupted one. */
    private volatile long executionSequence;
    private volatile boolean agentGone;
    private int executionCount;

    private JShellKernel(ConnectionInfo info) {
        this.sockets = SocketLoop.kernel(info, this::onMessage);
        this.publisher = new Publisher(sockets);
        this.stdin = new SnippetInput(publisher);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: JShellKernel <connection-file>");
            System.exit(2);
        }
        ConnectionInfo info = ConnectionInfo.read(Path.of(args[0]));
        if (ConnectionInfo.IPC.equals(info.transport())) {
            // JeroMQ binds TCP only: the Unix ports relay to loopback ones with the same key.
            ConnectionInfo tcp = ConnectionInfo.allocate().withKey(info.key());
            JShellKernel kernel = new JShellKernel(tcp);
            IpcRelay.start(info, tcp);
            kernel.run();
        } else {
            new JShellKernel(info).run();
        }
    }

    private void run() throws InterruptedException {
        startShellInBackground(shell);
        while (true) {
            JupyterMessage request = shellQueue.take();
            try {
                handleShell(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handling " + request + " failed", e);
            }
            if (agentGone) {
                // System.exit in a snippet, or a crash: the state is gone, a new agent serves what follows.
                LOG.warning("The agent JVM is gone; starting a new one");
                agentGone = false;
                CompletableFuture<JShell> next = new CompletableFuture<>();
                shell = next;
                startShellInBackground(next);
            }
        }
    }

    private void startShellInBackground(CompletableFuture<JShell> target) {
        Thread starter = new Thread(() -> startShell(target), "agb-jshell-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void startShell(CompletableFuture<JShell> target) {
        try {
            JShellFactory.Agent agent = JShellFactory.create(new StreamSink(publisher, "stdout"),
                    new StreamSink(publisher, "stderr"), new FrameSink(this::onFrame));
            stdin.attach(agent.stdin());
            JShell created = agent.shell();
            // Only the current JShell's end counts: a replaced one may report its own end late.
            created.onShutdown(closed -> agentGone |= shell.getNow(null) == closed);
            runner = new CellRunner(created, lastValueJson);
            target.complete(created);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "JShell did not start", e);
            target.completeExceptionally(e);
        }
    }

    /** On the I/O thread: control requests at once, shell requests to the execution thread, input replies. */
    private void onMessage(Channel channel, JupyterMessage message) {
        if (channel == Channel.CONTROL) {
            handleControl(message);
        } else if (channel == Channel.SHELL) {
            shellQueue.add(message);
        } else if (channel == Channel.STDIN) {
            stdin.onMessage(message);
        }
    }

    private void handleControl(JupyterMessage request) {
        switch (request.msgType()) {
            case "interrupt_request" -> {
                interrupt();
                publisher.reply(Channel.CONTROL, request, "interrupt_reply", ok());
            }
            case "shutdown_request" -> {
                JsonObject content = ok();
                content.addProperty("restart", request.content().has("restart")
                        && request.content().get("restart").getAsBoolean());
                publisher.reply(Channel.CONTROL, request, "shutdown_reply", content);
                Thread exiter = new Thread(() -> exit(0), "agb-jshell-shutdown");
                exiter.start();
            }
            case "kernel_info_request" -> {
                publisher.status(request, "busy");
                publisher.reply(Channel.CONTROL, request, "kernel_info_reply", kernelInfo());
                publisher.status(request, "idle");
            }
            default -> LOG.fine("Ignored control message " + request.msgType());
        }
    }

    /**
     * Stops the running cell, on a thread of its own (JDI suspends the agent meanwhile). The runner ends the
     * cell at the next snippet boundary; {@link JShell#stop()} ends the snippet that runs now. A stop that
     * lands between two snippets does nothing, so it is repeated until the cell has ended.
     */
    private void interrupt() {
        CellRunner current = runner;
        if (current == null || !executing) {
            return;
        }
        long interrupted = executionSequence;
        current.markStopRequested();
        stdin.interrupt(); // a snippet waiting for input: JShell stops it once the wait ends
        Thread stopper = new Thread(() -> {
            try {
                JShell target = shell.get();
                for (int attempt = 0; attempt < 100 && executing && executionSequence == interrupted; attempt++) {
                    target.stop();
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | RuntimeException e) {
                LOG.log(Level.WARNING, "Stop failed", e);
            }
        }, "agb-jshell-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    private void handleShell(JupyterMessage request) {
        publisher.status(request, "busy");
        try {
            switch (request.msgType()) {
                case "kernel_info_request" ->
                        publisher.reply(Channel.SHELL, request, "kernel_info_reply", kernelInfo());
                case "execute_request" -> execute(request);
                case "is_complete_request" -> isComplete(request);
                case "complete_request" -> complete(request);
                case "inspect_request" -> inspect(request);
                default -> LOG.fine("Ignored shell message " + request.msgType());
            }
        } finally {
            publisher.status(request, "idle");
        }
    }

    private void execute(JupyterMessage request) {
        JsonObject content = request.content();
        String code = content.has("code") ? content.get("code").getAsString() : "";
        boolean silent = content.has("silent") && content.get("silent").getAsBoolean();
        // As in Jupyter: only history-storing executions count (silent implies no history).
        boolean storeHistory = !silent && (!content.has("store_history") || content.get("store_history").getAsBoolean());
        publisher.parent(request);
        if (storeHistory) {
            executionCount++;
        }
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", executionCount);
            publisher.publish("execute_input", input);
        }
        CellOutcome outcome;
        try {
            shell.get(); // waits for JShell to have started
            executionSequence++;
            stdin.begin(request);
            executing = true;
            try {
                outcome = agentGone ? agentGoneOutcome() : runner.run(code);
            } finally {
                executing = false;
                stdin.end();
            }
        } catch (ExecutionException e) {
            outcome = CellOutcome.failure("KernelStartError", "JShell did not start: " + e.getCause(),
                    List.of("KernelStartError: JShell did not start: " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = CellOutcome.failure(CellRunner.INTERRUPTED, "the kernel was interrupted", List.of());
        } catch (IllegalStateException e) {
            // JShell throws this once the agent JVM has died (System.exit in a snippet, a crash).
            outcome = agentGoneOutcome();
        }
        if (agentGone && !outcome.failed()) {
            outcome = agentGoneOutcome();
        }
        publisher.flushStreams();
        JsonObject reply = new JsonObject();
        reply.addProperty("execution_count", executionCount);
        if (outcome.failed()) {
            JsonObject error = errorContent(outcome.error());
            publisher.publish("error", error);
            reply.addProperty("status", "error");
            error.entrySet().forEach(entry -> reply.add(entry.getKey(), entry.getValue()));
        } else {
            if (!silent && outcome.valueText() != null) {
                publisher.publish("execute_result", executeResult(outcome));
            }
            reply.addProperty("status", "ok");
            reply.add("user_expressions", new JsonObject());
            reply.add("payload", new JsonArray());
        }
        publisher.reply(Channel.SHELL, request, "execute_reply", reply);
    }

    private CellOutcome agentGoneOutcome() {
        agentGone = true;
        String message = "the JVM running the snippets exited; its state is lost, and a new one runs what follows";
        return CellOutcome.failure("AgentExited", message, List.of("AgentExited: " + message));
    }

    private JsonObject executeResult(CellOutcome outcome) {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", outcome.valueText());
        if (outcome.valueJson() != null) {
            data.addProperty(MimeBundle.AGB_VALUE, outcome.valueJson());
        }
        JsonObject result = new JsonObject();
        result.addProperty("execution_count", executionCount);
        result.add("data", data);
        result.add("metadata", new JsonObject());
        return result;
    }

    private static JsonObject errorContent(CellOutcome.Error error) {
        JsonObject content = new JsonObject();
        content.addProperty("ename", error.name());
        content.addProperty("evalue", error.value());
        JsonArray traceback = new JsonArray();
        error.traceback().forEach(traceback::add);
        content.add("traceback", traceback);
        return content;
    }

    /** From the agent's side channel (on the socket reader thread). */
    private void onFrame(byte kind, String payload) {
        if (kind == HostChannel.VALUE) {
            lastValueJson.set(payload.isEmpty() ? null : payload);
        } else if (kind == HostChannel.INPUT) {
            stdin.lineWanted();
        } else if (kind == HostChannel.DISPLAY) {
            JsonObject bundle = JsonParser.parseString(payload).getAsJsonObject();
            JsonObject content = new JsonObject();
            content.add("data", bundle.get("data"));
            content.add("metadata", bundle.has("metadata") ? bundle.get("metadata") : new JsonObject());
            content.add("transient", new JsonObject());
            publisher.publish("display_data", content);
        }
    }

    private void isComplete(JupyterMessage request) {
        String code = request.content().get("code").getAsString();
        SourceCodeAnalysis analysis = analysis();
        JsonObject content = new JsonObject();
        String status = analysis == null ? "unknown" : Introspection.completeness(analysis, code);
        content.addProperty("status", status);
        if ("incomplete".equals(status)) {
            content.addProperty("indent", "");
        }
        publisher.reply(Channel.SHELL, request, "is_complete_reply", content);
    }

    private void complete(JupyterMessage request) {
        String code = request.content().get("code").getAsString();
        int cursor = request.content().get("cursor_pos").getAsInt();
        SourceCodeAnalysis analysis = analysis();
        JsonObject content = analysis == null ? Introspection.noCompletions(cursor)
                : Introspection.completions(analysis, code, cursor);
        publisher.reply(Channel.SHELL, request, "complete_reply", content);
    }

    private void inspect(JupyterMessage request) {
        String code = request.content().get("code").getAsString();
        int cursor = request.content().get("cursor_pos").getAsInt();
        boolean detailed = request.content().has("detail_level") && request.content().get("detail_level").getAsInt() > 0;
        SourceCodeAnalysis analysis = analysis();
        JsonObject content = analysis == null ? Introspection.nothingFound()
                : Introspection.documentation(analysis, code, cursor, detailed);
        publisher.reply(Channel.SHELL, request, "inspect_reply", content);
    }

    /** JShell's analysis once JShell has started, or null when it could not start. */
    private SourceCodeAnalysis analysis() {
        try {
            return shell.get().sourceCodeAnalysis();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static JsonObject kernelInfo() {
        JsonObject language = new JsonObject();
        language.addProperty("name", "java");
        language.addProperty("version", Runtime.version().toString());
        language.addProperty("mimetype", "text/x-java-source");
        language.addProperty("file_extension", ".jsh");
        language.addProperty("pygments_lexer", "java");
        language.addProperty("codemirror_mode", "text/x-java");
        JsonObject info = ok();
        info.addProperty("protocol_version", JupyterMessage.PROTOCOL_VERSION);
        info.addProperty("implementation", IMPLEMENTATION);
        info.addProperty("implementation_version", IMPLEMENTATION_VERSION);
        info.add("language_info", language);
        info.addProperty("banner", "agb-jshell " + IMPLEMENTATION_VERSION + " on Java " + Runtime.version());
        info.add("help_links", new JsonArray());
        return info;
    }

    private static JsonObject ok() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        return content;
    }

    private void exit(int code) {
        publisher.flushStreams();
        sockets.close();
        publisher.close();
        if (shell.isDone() && !shell.isCompletedExceptionally()) {
            try {
                shell.getNow(null).close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Closing JShell failed", e);
            }
        }
        System.exit(code);
    }

}
