package dev.agbscript.cloud;

/**
 * The service answered something this client cannot read: no data, an unknown stream phase, or a terminal
 * error frame of a streamed run.
 */
public final class AgbProtocolException extends AgbException {
    AgbProtocolException(String message, String requestId) {
        super(message, requestId, null);
    }
}
