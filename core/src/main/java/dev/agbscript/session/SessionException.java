package dev.agbscript.session;

/**
 * A session or its sandbox failed, as opposed to the code failing (that is an {@link ExecutionError} in
 * the result): a kernel that would not start or died, a backend that cannot be reached, a closed session.
 */
public class SessionException extends RuntimeException {
    public SessionException(String message) {
        super(message);
    }

    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
