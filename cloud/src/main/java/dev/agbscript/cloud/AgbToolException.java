package dev.agbscript.cloud;

/**
 * Layer 3: the tool call reached the sandbox, but the tool itself reported {@code isError:true} (bad
 * arguments, a tool that could not run). Errors of the executed code are not exceptions: they are the
 * {@link dev.agbscript.session.ExecutionError} of the result.
 */
public final class AgbToolException extends AgbException {
    AgbToolException(String message, String requestId) {
        super(message, requestId, null);
    }
}
