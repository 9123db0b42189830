package dev.agbscript.session;

import java.io.IOException;
import java.util.Objects;

/**
 * Where a run's code gets a line when it asks for one (Python's {@code input()} and {@code getpass()}, R's
 * {@code readline()}, JavaScript's {@code await input()}, Java's {@code System.in}): the person at a terminal,
 * or the host's reader. The kernel waits meanwhile, and the run's time limit keeps running.
 *
 * <p>Called on a thread of its own, not the backend's: it may block. When the run ends first (timeout,
 * interrupt, a dead kernel) that thread is interrupted and whatever it returns later is dropped.
 */
@FunctionalInterface
public interface InputSource {
    /**
     * Reads one line.
     *
     * @param prompt   what the code asked with; the source shows it (the kernel does not print it)
     * @param password true when what is typed must not be shown
     * @return the line without its line end, or null at the end of the input (the code then sees its language's
     *         end of input: Python's {@code EOFError}, an empty line in R, null in JavaScript, end of stream in Java)
     * @throws java.io.InterruptedIOException when the person interrupted the reading (Ctrl-C): the run is
     *                                        interrupted, as Ctrl-C while it runs would
     * @throws IOException                    when no line can be read: the run fails with that message
     */
    String readLine(String prompt, boolean password) throws IOException;

    /**
     * No input: a run whose code asks for some fails at once (never waits) with an error that gives this
     * explanation, which should say how to give input.
     */
    static InputSource none(String explanation) {
        return new None(explanation);
    }

    /** Whether this is {@link #none}: the kernel is told that there is no input, so that it fails at once. */
    default boolean available() {
        return !(this instanceof None);
    }

    /** Why there is no input and how to give some; empty when there is input. */
    default String unavailableBecause() {
        return this instanceof None none ? none.explanation() : "";
    }

    /** The name of the error a run gets when its code asks for input and there is none. */
    String NO_INPUT_ERROR = "StdinNotImplementedError";

    /** See {@link #none}. */
    record None(String explanation) implements InputSource {
        public None {
            Objects.requireNonNull(explanation, "explanation");
        }

        @Override
        public String readLine(String prompt, boolean password) throws IOException {
            throw new IOException(explanation);
        }
    }
}
