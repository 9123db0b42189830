package dev.agbscript.jupyter.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.jupyter.MessageHandler;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both ends of a connection over real ZeroMQ sockets on loopback: one SocketLoop each, no kernel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketLoopTest {
    private final ConnectionInfo info = ConnectionInfo.allocate();
    private final BlockingQueue<String> atKernel = new LinkedBlockingQueue<>();
    final BlockingQueue<JupyterMessage> atClient = new LinkedBlockingQueue<>();
    private final BlockingQueue<Channel> clientChannels = new LinkedBlockingQueue<>();
    private SocketLoop kernel;
    KernelConnection client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (kernel != null) {
            kernel.close();
        }
    }

    /** A kernel end that answers each request on its channel and publishes a status about it. */
    void startKernel() {
        kernel = SocketLoop.kernel(info, (channel, request) -> {
            atKernel.add(channel + ":" + request.msgType());
            JupyterMessage answer = JupyterMessage.request(request.msgType().replace("_request", "_reply"),
                    request.content(), "kernel");
            kernel.send(channel, new JupyterMessage(request.identities(), answer.header(), request.header(),
                    new JsonObject(), request.content()));
            JupyterMessage status = JupyterMessage.request("status", new JsonObject(), "kernel");
            kernel.send(Channel.IOPUB, new JupyterMessage(List.of(), status.header(), request.header(),
                    new JsonObject(), status.content()));
        });
        client = connect(info, (channel, message) -> {
            clientChannels.add(channel);
            atClient.add(message);
        });
    }

    /** The client end under test: JeroMQ's. */
    KernelConnection connect(ConnectionInfo info, MessageHandler handler) {
        return new ZmqKernelConnection(info, "test", handler);
    }

    long lastHeartbeatNanos(KernelConnection connection) {
        return ((ZmqKernelConnection) connection).lastHeartbeatNanos();
    }

    @Test
    void requestsOnEveryChannelAreAnsweredOnTheSameOneAndTheKernelPublishesOnIopub() throws Exception {
        startKernel();
        for (Channel channel : List.of(Channel.SHELL, Channel.CONTROL, Channel.STDIN)) {
            JupyterMessage request = JupyterMessage.request("probe_request", new JsonObject(), client.clientSessionId());
            client.send(channel, request);
            assertEquals(channel + ":probe_request", atKernel.poll(10, TimeUnit.SECONDS));
            // iopub may have missed the first statuses (the slow joiner); the reply comes on the request's channel
            JupyterMessage reply = next(request, "probe_reply");
            assertNotNull(reply, "no reply on " + channel);
        }
        assertTrue(clientChannels.contains(Channel.IOPUB) || awaitIopub(), "nothing came on iopub");
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        startKernel();
        JsonObject content = new JsonObject();
        content.addProperty("text", "x".repeat(5_000_000));
        JupyterMessage request = JupyterMessage.request("big_request", content, client.clientSessionId());
        client.send(Channel.SHELL, request);
        JupyterMessage reply = next(request, "big_reply");
        assertNotNull(reply);
        assertEquals(5_000_000, reply.contentString("text").length());
    }

    @Test
    void theKernelAnswersTheHeartbeat() {
        startKernel();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lastHeartbeatNanos(client) == 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait(); // the first ping goes out at once; its answer takes a millisecond
        }
        assertTrue(lastHeartbeatNanos(client) != 0, "no heartbeat answered");
    }

    @Test
    void aClosedConnectionRefusesToSend() {
        startKernel();
        client.close();
        JupyterMessage request = JupyterMessage.request("probe_request", new JsonObject(), client.clientSessionId());
        assertThrows(KernelException.class, () -> client.send(Channel.SHELL, request));
    }

    @Test
    void twoKernelsCannotBindTheSamePorts() {
        startKernel();
        assertThrows(KernelException.class, () -> SocketLoop.kernel(info, (channel, message) -> { }));
    }

    /** The client's next message of that type answering the request, skipping iopub statuses. */
    private JupyterMessage next(JupyterMessage request, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            JupyterMessage message = atClient.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && type.equals(message.msgType()) && request.msgId().equals(message.parentMsgId())) {
                return message;
            }
        }
        return null;
    }

    private boolean awaitIopub() throws InterruptedException {
        JupyterMessage request = JupyterMessage.request("probe_request", new JsonObject(), client.clientSessionId());
        client.send(Channel.SHELL, request);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            if (clientChannels.poll(100, TimeUnit.MILLISECONDS) == Channel.IOPUB) {
                return true;
            }
        }
        return false;
    }
}
