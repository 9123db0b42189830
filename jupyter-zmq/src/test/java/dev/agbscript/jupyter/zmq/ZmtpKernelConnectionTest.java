package dev.agbscript.jupyter.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import dev.agbscript.jupyter.KernelConnection;
import dev.agbscript.jupyter.MessageHandler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same conversations with our own ZMTP client against JeroMQ's kernel end (over TCP: JeroMQ has no Unix
 * sockets; the embedded sandbox's tests drive it over Unix sockets against the real kernels).
 */
class ZmtpKernelConnectionTest extends SocketLoopTest {
    @Override
    KernelConnection connect(ConnectionInfo info, MessageHandler handler) {
        return new ZmtpKernelConnection(info.key(), ZmtpKernelConnection.Endpoints.tcp(info), "test", handler);
    }

    @Override
    long lastHeartbeatNanos(KernelConnection connection) {
        return ((ZmtpKernelConnection) connection).lastHeartbeatNanos();
    }

    /** ipykernel sends all that was printed in 0.2 s as one message; the client hands it on as it arrives. */
    @Test
    void aLargeStreamMessageArrivesInPiecesThatMakeItWhole() throws Exception {
        startKernel();
        StringBuilder text = new StringBuilder();
        while (text.length() < 3_000_000) {
            text.append("ünï \"q\" \\ \t\n 😀 \u2028\u0001 x</> ");
        }
        JsonObject content = new JsonObject();
        content.addProperty("name", "stderr");
        content.addProperty("text", text.toString());
        // the kernel end answers with the request's content under the request's type: a stream message
        JupyterMessage request = JupyterMessage.request("stream", content, client.clientSessionId());
        client.send(Channel.SHELL, request);
        StringBuilder received = new StringBuilder();
        int pieces = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.length() < text.length() && System.nanoTime() - deadline < 0) {
            JupyterMessage message = atClient.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && "stream".equals(message.msgType())
                    && request.msgId().equals(message.parentMsgId())) {
                assertEquals("stderr", message.contentString("name"));
                received.append(message.contentString("text"));
                pieces++;
            }
        }
        assertEquals(text.toString(), received.toString());
        assertTrue(pieces > 1, "one piece: the message was held whole");
    }
}
