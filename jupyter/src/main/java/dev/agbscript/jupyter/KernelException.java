package dev.agbscript.jupyter;

import dev.agbscript.session.SessionException;

/** A kernel would not start, did not answer, or cannot be reached: a problem of the sandbox, not of the code. */
public class KernelException extends SessionException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
