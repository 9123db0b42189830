package dev.agbscript.engine;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionResult;
import javax.script.ScriptException;

/**
 * The code raised an error (or timed out). The message is {@code Name: value}; line and column are those
 * the kernel reported; the remote traceback and the whole result, outputs and logs included, stay
 * reachable.
 */
public final class AgbScriptException extends ScriptException {
    private final transient ExecutionResult result;
    private final transient ExecutionError error;

    AgbScriptException(ExecutionError error, ExecutionResult result, String fileName) {
        super(error.message(), fileName, error.line(), error.column());
        this.error = error;
        this.result = result;
    }

    public ExecutionError error() {
        return error;
    }

    public ExecutionResult result() {
        return result;
    }

    public String remoteTraceback() {
        return error.traceback();
    }

    public boolean isTimeout() {
        return error.isTimeout();
    }
}
