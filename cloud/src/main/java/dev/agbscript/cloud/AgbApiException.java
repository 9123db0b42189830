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

    /** The session does not exist (any more): the service expired or released it. */
    public boolean isSessionNotFound() {
        return isNotFound(code, serviceMessage);
    }

    static boolean isNotFound(String code, String message) {
        return (code != null && code.endsWith(".NotFound"))
                || (message != null && message.toLowerCase(Locale.ROOT).contains("not found"));
    }
}
