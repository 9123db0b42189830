package dev.agbscript.local;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.zmq.ConnectionInfo;
import dev.agbscript.jupyter.zmq.ZmqKernelConnection;
import dev.agbscript.session.Language;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' baseline: a kernel of the language, unsandboxed, and a client of its own over ZeroMQ, with no
 * session layer, no engine and no prelude.
 */
final class BareKernel implements AutoCloseable {
    private final KernelProcess process;
    private final ZmqKernelConnection connection;
    private final LinkedBlockingQueue<JupyterMessage> inbox;

    private BareKernel(KernelProcess process, ZmqKernelConnection connection, LinkedBlockingQueue<JupyterMessage> inbox) {
        this.process = process;
        this.connection = connection;
        this.inbox = inbox;
    }

    static BareKernel start(Path dir, Language language) throws Exception {
        ConnectionInfo info = ConnectionInfo.allocate();
        Path file = dir.resolve("bare-" + language.id() + ".json");
        info.write(file);
        LinkedBlockingQueue<JupyterMessage> inbox = new LinkedBlockingQueue<>();
        ZmqKernelConnection connection = new ZmqKernelConnection(info, "bench", (channel, message) -> inbox.add(message));
        KernelSpec spec = KernelSpecs.forLanguage(language);
        KernelProcess process = KernelProcess.start(spec.command(file.toString(), SandboxLimits.NONE), dir,
                spec.environment(SandboxLimits.NONE), dir.resolve("bare-" + language.id() + ".log"), false);
        BareKernel kernel = new BareKernel(process, connection, inbox);
        kernel.awaitReady();
        return kernel;
    }

    private void awaitReady() throws InterruptedException {
        boolean replied = false;
        boolean iopub = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(replied && iopub)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bare kernel did not start: " + process.logTail());
            }
            connection.send(Channel.SHELL,
                    JupyterMessage.request("kernel_info_request", new JsonObject(), connection.clientSessionId()));
            JupyterMessage message;
            while ((message = inbox.poll(200, TimeUnit.MILLISECONDS)) != null) {
                replied |= "kernel_info_reply".equals(message.msgType());
                iopub |= "status".equals(message.msgType());
            }
        }
    }

    /** Runs the code and waits for its reply and the kernel's idle status. */
    void roundTrip(String code) throws InterruptedException {
        run(code, new long[2]);
    }

    /** Runs the code; nanoseconds from the request to its first stream message, and from the print to it. */
    long[] firstStream(String code) throws InterruptedException {
        long[] first = {-1, 0};
        run(code, first);
        if (first[0] < 0) {
            throw new IllegalStateException("no stream message for " + code);
        }
        return first;
    }

    /** Runs the code; its first stream message's times go into {@code first} (left as they are when none comes). */
    private void run(String code, long[] first) throws InterruptedException {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        JupyterMessage request = JupyterMessage.request("execute_request", content, connection.clientSessionId());
        long start = System.nanoTime();
        connection.send(Channel.SHELL, request);
        boolean streamed = false;
        boolean replied = false;
        boolean idle = false;
        while (!(replied && idle)) {
            JupyterMessage message = inbox.poll(60, TimeUnit.SECONDS);
            if (message == null) {
                throw new IllegalStateException("bare kernel did not answer");
            }
            if (!request.msgId().equals(message.parentMsgId())) {
                continue;
            }
            if (!streamed && "stream".equals(message.msgType())) {
                long arrival = System.nanoTime();
                long arrivalWall = ScaleBenchmark.wallMicros();
                streamed = true;
                first[0] = arrival - start;
                first[1] = ScaleBenchmark.sincePrint(arrival, arrivalWall, message.contentString("text"));
            }
            replied |= "execute_reply".equals(message.msgType());
            idle |= "status".equals(message.msgType())
                    && "idle".equals(message.content().get("execution_state").getAsString());
        }
    }

    @Override
    public void close() {
        process.kill(0);
        connection.close();
    }
}
