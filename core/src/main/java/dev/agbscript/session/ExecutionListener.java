package dev.agbscript.session;

/**
 * Live events of one execution, delivered while the code runs and in the order they happen, like the
 * AGB SDK's {@code on_stdout}/{@code on_stderr}/{@code on_error} callbacks. Called on a backend thread:
 * keep them quick.
 */
public interface ExecutionListener {
    ExecutionListener NONE = new ExecutionListener() {};

    default void onStdout(String chunk) {}

    default void onStderr(String chunk) {}

    default void onResult(MimeBundle result) {}

    default void onError(ExecutionError error) {}
}
