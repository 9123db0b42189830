package dev.agbscript.session;

/**
 * Live events of one execution, delivered while the code runs and in the order they happen, like the
 * AGB SDK's {@code on_stdout}/{@code on_stderr}/{@code on_error} callbacks. Called on a backend thread:
 * keep them quick. It also says where the code's requests for input are answered ({@link #input()}).
 */
public interface ExecutionListener {
    ExecutionListener NONE = new ExecutionListener() {};

    default void onStdout(String chunk) {}

    default void onStderr(String chunk) {}

    default void onResult(MimeBundle result) {}

    default void onError(ExecutionError error) {}

    /**
     * Where the code's requests for a line of input are answered. By default there is none: code that asks
     * fails at once with a {@value InputSource#NO_INPUT_ERROR}, never waits.
     */
    default InputSource input() {
        return NO_INPUT;
    }

    /** The input of a run whose listener gives none. */
    InputSource NO_INPUT = InputSource.none("this program gives the code no input");
}
