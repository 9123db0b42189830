package dev.agbscript.cloud;

import dev.agbscript.session.SessionException;

/**
 * A call to the AGB service failed at a layer below the code: the subclass says which one. The message
 * always names the request id (the service's, or the one this client made up for the LinkUrl route, or the
 * WebSocket invocation id) so that a failure can be traced on the service side.
 */
public abstract class AgbException extends SessionException {
    private final String requestId;

    AgbException(String message, String requestId, Throwable cause) {
        super(message + " (request id: " + (requestId == null ? "none" : requestId) + ")", cause);
        this.requestId = requestId;
    }

    /** The id of the failed request, or null when no request id was made or returned. */
    public String requestId() {
        return requestId;
    }
}
