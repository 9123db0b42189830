package dev.agbscript.gateway;

import dev.agbscript.session.SessionException;

/**
 * The gateway refused or failed a request, or could not be reached: a problem of the sandbox, not of the code. The
 * message names the gateway's URL and, where one would fix it, the setting.
 */
public class GatewayException extends SessionException {
    private final int status;

    public GatewayException(String message, int status) {
        super(message);
        this.status = status;
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status the gateway answered, or 0 when it gave none (it could not be reached). */
    public int status() {
        return status;
    }
}
