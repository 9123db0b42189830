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

    /**
     * How many times the transport has dropped and come back so far. Messages the other side sent at the instant
     * of a drop may be lost with it (the Jupyter protocol numbers none), so an execution that saw one says so.
     * ZeroMQ's sockets on one machine never drop: 0.
     */
    default int drops() {
        return 0;
    }

    /** Sends what is queued and closes; messages that come later are not delivered. */
    @Override
    void close();
}
