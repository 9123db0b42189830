package dev.agbscript.jupyter;

import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.logging.Logger;

/**
 * Answers the {@code input_request}s of one execution on the stdin channel: each is read from the execution's
 * {@link InputSource} on a thread of its own (the transport's thread must not block, and the execution's thread
 * keeps watching its deadline and the kernel), then sent back as an {@code input_reply} whose parent is the
 * request. When the execution ends first, the reading thread is interrupted and its line dropped: a late reply
 * would otherwise answer the kernel's next request (IRkernel reads whatever comes).
 *
 * <p>With no input, a kernel that honours {@code allow_stdin: false} never asks; one that asks anyway (IRkernel)
 * gets no reply: the execution fails with a {@value InputSource#NO_INPUT_ERROR} and the kernel is interrupted.
 */
final class InputReplier {
    private static final Logger LOG = Logger.getLogger(InputReplier.class.getName());
    /** What jupyter_console sends at the end of the input; ipykernel raises EOFError for it. */
    static final String END_OF_INPUT = "\u0004";
    /** How long an ended execution waits for its interrupted read to end (a read of System.in never does). */
    private static final long READ_END_WAIT_MILLIS = 500;

    private final Language language;
    private final InputSource source;
    private final PendingExecution execution;
    private final KernelConnection connection;
    private final KernelControl control;
    private Thread reading;
    private boolean closed;

    InputReplier(Language language, InputSource source, PendingExecution execution, KernelConnection connection,
                 KernelControl control) {
        this.language = language;
        this.source = source;
        this.execution = execution;
        this.connection = connection;
        this.control = control;
    }

    /** Whether the kernel may ask for input ({@code allow_stdin}). */
    boolean allowsInput() {
        return source.available();
    }

    /** On the transport's thread: starts answering the request. */
    synchronized void onRequest(JupyterMessage request) {
        if (closed) {
            return;
        }
        String prompt = request.contentString("prompt");
        boolean password = request.content().has("password") && request.content().get("password").getAsBoolean();
        if (!source.available()) {
            execution.fail(new ExecutionError(InputSource.NO_INPUT_ERROR, (language == Language.R ? "readline()"
                    : "The code") + " asked for input, but " + source.unavailableBecause(), ""));
            control.interrupt();
            return;
        }
        reading = new Thread(() -> answer(request, prompt == null ? "" : prompt, password),
                "agb-input-" + language.id());
        reading.setDaemon(true);
        reading.start();
    }

    private void answer(JupyterMessage request, String prompt, boolean password) {
        String line;
        try {
            line = source.readLine(prompt, password);
        } catch (InterruptedIOException e) {
            if (!isClosed()) {
                control.interrupt(); // the person pressed Ctrl-C at the input prompt
            }
            return;
        } catch (IOException | RuntimeException e) {
            if (!isClosed()) {
                execution.fail(new ExecutionError("InputError", "Cannot read the input the code asked for: "
                        + e.getMessage(), ""));
                control.interrupt();
            }
            return;
        }
        synchronized (this) {
            if (closed) {
                LOG.fine(() -> "Dropped a line of input read after its " + language + " execution ended");
                return;
            }
            JsonObject content = new JsonObject();
            // IRkernel's readline() returns the value as it is: the end of input is an empty line there, as in R
            content.addProperty("value", line != null ? line : language == Language.R ? "" : END_OF_INPUT);
            JupyterMessage reply = JupyterMessage.request("input_reply", content, connection.clientSessionId());
            connection.send(Channel.STDIN, new JupyterMessage(List.of(), reply.header(), request.header(),
                    new JsonObject(), content));
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * The execution has ended: a read still waiting is interrupted, and its line will not be sent. Waits a moment
     * for the read to end, so that a host whose source gives way to interrupts (a terminal's line editor) has its
     * terminal back when the execution returns.
     */
    void close() {
        Thread toStop;
        synchronized (this) {
            closed = true;
            toStop = reading;
        }
        if (toStop != null && toStop.isAlive()) {
            toStop.interrupt();
            try {
                toStop.join(READ_END_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
