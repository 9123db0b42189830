package dev.agbscript.cloud;

/**
 * Layer 1: the service could not be reached or did not answer with a usable HTTP response (connection
 * refused, a read timeout outside a run, an HTTP error without an AGB envelope, a dropped WebSocket).
 */
public final class AgbTransportException extends AgbException {
    private final int httpStatus;
    private final boolean notDelivered;

    AgbTransportException(String message, String requestId, int httpStatus, Throwable cause) {
        this(message, requestId, httpStatus, cause, false);
    }

    /** @param notDelivered the request certainly never reached the sandbox (refused connection or answer) */
    AgbTransportException(String message, String requestId, int httpStatus, Throwable cause, boolean notDelivered) {
        super(message, requestId, cause);
        this.httpStatus = httpStatus;
        this.notDelivered = notDelivered;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Worth retrying a safe call: no response at all, or an overloaded or failing server. */
    boolean isTransient() {
        return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
    }

    /** True when the call cannot have run anything, so repeating it elsewhere cannot run code twice. */
    boolean notDelivered() {
        return notDelivered;
    }
}
