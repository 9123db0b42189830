package dev.agbscript.jshell;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.Frames;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.WireCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A bare Jupyter client for protocol tests: starts {@link JShellKernel} as a process and talks to it with
 * plain JeroMQ sockets, one thread, no helpers from the production client.
 */
final class BareKernelClient implements AutoCloseable {
    private final ZContext context = new ZContext();
    private final WireCodec codec;
    private final Process process;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket iopub;
    private final String session = UUID.randomUUID().toString();

    BareKernelClient(Path dir) throws IOException {
        this(dir, JShellKernel.HOST_JVM_OPTIONS);
    }

    /** With other JVM options for the kernel process (for measurements). */
    BareKernelClient(Path dir, List<String> hostJvmOptions) throws IOException {
        ConnectionInfo info = ConnectionInfo.allocate();
        codec = new WireCodec(info.key());
        Path file = dir.resolve("connection.json");
        info.write(file);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path")));
        command.addAll(hostJvmOptions);
        command.add(JShellKernel.class.getName());
        command.add(file.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("kernel.log").toFile()).start();
        shell = context.createSocket(SocketType.DEALER);
        control = context.createSocket(SocketType.DEALER);
        iopub = context.createSocket(SocketType.SUB);
        iopub.subscribe(ZMQ.SUBSCRIPTION_ALL);
        shell.connect(info.endpoint(info.shellPort()));
        control.connect(info.endpoint(info.controlPort()));
        iopub.connect(info.endpoint(info.iopubPort()));
    }

    Process process() {
        return process;
    }

    JupyterMessage request(String type, JsonObject content) {
        return JupyterMessage.request(type, content, session);
    }

    void sendShell(JupyterMessage message) {
        send(shell, message);
    }

    void sendControl(JupyterMessage message) {
        send(control, message);
    }

    private void send(ZMQ.Socket socket, JupyterMessage message) {
        List<byte[]> frames = codec.encode(message);
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The shell reply to that request; replies to earlier requests (extra kernel_info nudges) are skipped. */
    JupyterMessage shellReplyTo(JupyterMessage request, long timeoutMillis) {
        return replyTo(shell, request, timeoutMillis);
    }

    JupyterMessage controlReplyTo(JupyterMessage request, long timeoutMillis) {
        return replyTo(control, request, timeoutMillis);
    }

    private JupyterMessage replyTo(ZMQ.Socket socket, JupyterMessage request, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            JupyterMessage message = receive(socket, 100);
            if (message != null && request.msgId().equals(message.parentMsgId())) {
                return message;
            }
        }
        return null;
    }

    JupyterMessage receiveIopub(long timeoutMillis) {
        return receive(iopub, timeoutMillis);
    }

    private JupyterMessage receive(ZMQ.Socket socket, long timeoutMillis) {
        socket.setReceiveTimeOut((int) timeoutMillis);
        List<byte[]> frames = Frames.receive(socket, 0);
        return frames == null ? null : codec.decode(frames);
    }

    /** Sends kernel_info_request until a reply and an iopub message came (the SUB socket joins late). */
    JsonObject awaitReady(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        JsonObject info = null;
        boolean iopubSeen = false;
        while (System.nanoTime() < deadline && (info == null || !iopubSeen)) {
            JupyterMessage nudge = request("kernel_info_request", new JsonObject());
            sendShell(nudge);
            JupyterMessage reply = shellReplyTo(nudge, 200);
            if (reply != null && "kernel_info_reply".equals(reply.msgType())) {
                info = reply.content();
            }
            while (receiveIopub(50) != null) {
                iopubSeen = true;
            }
        }
        if (info == null || !iopubSeen) {
            throw new IllegalStateException("The kernel did not get ready");
        }
        return info;
    }

    /** Runs code; returns the iopub messages of that request up to its idle status, then the reply. */
    List<JupyterMessage> execute(String code, boolean silent, long timeoutMillis) {
        return execute(code, silent, !silent, timeoutMillis);
    }

    List<JupyterMessage> execute(String code, boolean silent, boolean storeHistory, long timeoutMillis) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", silent);
        content.addProperty("store_history", storeHistory);
        JupyterMessage request = request("execute_request", content);
        sendShell(request);
        List<JupyterMessage> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            JupyterMessage message = receiveIopub(100);
            if (message == null || !request.msgId().equals(message.parentMsgId())) {
                continue;
            }
            messages.add(message);
            if ("status".equals(message.msgType()) && "idle".equals(message.contentString("execution_state"))) {
                break;
            }
        }
        JupyterMessage reply = shellReplyTo(request, timeoutMillis);
        if (reply != null) {
            messages.add(reply);
        }
        return messages;
    }

    @Override
    public void close() throws InterruptedException {
        JsonObject content = new JsonObject();
        content.addProperty("restart", false);
        sendControl(request("shutdown_request", content));
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        context.close();
    }
}
