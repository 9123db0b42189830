package dev.agbscript.jupyter;

/** Receives incoming messages, on the transport's thread: it must not block. */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Channel channel, JupyterMessage message);
}
