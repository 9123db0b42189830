package dev.agbscript.jupyter;

/**
 * The transport to one kernel (ZeroMQ sockets, or a Jupyter Server's WebSocket): sends messages on a channel
 * and delivers every incoming one to the {@link MessageHandler} it was opened with.
 */
public interface KernelConnection extends AutoCloseable {
    /** The client session id: the {@code session} of the headers of the messages this client sends. */
    String clientSessionId();

    /** Sends the message; it does not wait for it to leave. */
    void send(Channel channel, JupyterMessage message);

    /** Sends what is queued and closes; messages that come later are not delivered. */
    @Override
    void close();
}
