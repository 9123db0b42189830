package dev.agbscript.cloud;

import java.util.Locale;

/**
 * Layer 2: the service answered with its envelope saying {@code success:false}, for example
 * {@code InvalidSession.NotFound}; possibly with HTTP 200.
 */
public final class AgbApiException extends AgbException {
    private final String code;
    private final String serviceMessage;
    private final int httpStatus;

    AgbApiException(String operation, String code, String serviceMessage, int httpStatus, String requestId) {
        super(operation + " failed: [" + code + "] " + serviceMessage, requestId, null);
        this.code = code;
        this.serviceMessage = serviceMessage;
        this.httpStatus = httpStatus;
    }

    /** The service's error code, e.g. {@code InvalidSession.NotFound}; may be empty. */
    public String code() {
        return code;
    }

    public String serviceMessage() {
        return serviceMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The session does not exist (any more), by the error code: {@code InvalidSession.NotFound},
     * {@code InvalidMcpSession.NotFound}. A message saying "not found" is not enough: a file or a tool may
     * be what was not found.
     */
    public boolean isSessionNotFound() {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        return c.contains("session") && c.endsWith(".notfound");
    }

    /**
     * The SDK's test while polling a released session: the code, or a message saying "not found"
     * (session.py, delete). Only used there, where the one thing that can be missing is the session.
     */
    boolean isNotFoundWhilePolling() {
        return isSessionNotFound() || "InvalidMcpSession.NotFound".equals(code)
                || (serviceMessage != null && serviceMessage.toLowerCase(Locale.ROOT).contains("not found"));
    }
}
