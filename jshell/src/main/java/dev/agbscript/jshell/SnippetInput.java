package dev.agbscript.jshell;

import com.google.gson.JsonObject;
import dev.agbscript.jshell.agent.SnippetStdin;
import dev.agbscript.jupyter.Channel;
import dev.agbscript.jupyter.JupyterMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * The kernel's side of the snippets' {@code System.in} ({@link SnippetStdin}): when a snippet needs a line, asks
 * the client for one ({@code input_request} on stdin, the execute request as parent, as ipykernel does) and writes
 * the {@code input_reply}'s value with a line end into the agent's standard input. A client that did not allow
 * stdin, the end of its input and an interrupt are written as the bytes {@link SnippetStdin} knows. Nothing here
 * blocks: the request goes out from the thread that reads the agent, the reply comes in on the socket thread.
 */
final class SnippetInput {
    private static final Logger LOG = Logger.getLogger(SnippetInput.class.getName());
    /** What a client sends at the end of its input (jupyter_console's convention, which ipykernel follows). */
    private static final String END_OF_INPUT = "\u0004";

    private final Publisher publisher;
    private OutputStream agentStdin;
    private JupyterMessage executeRequest;
    private boolean allowed;
    /** The msg_id of the input_request waiting for its reply, or null. */
    private String waitingFor;

    SnippetInput(Publisher publisher) {
        this.publisher = publisher;
    }

    /** A new agent runs: its standard input. */
    synchronized void attach(OutputStream stdin) {
        agentStdin = stdin;
        waitingFor = null;
    }

    /** A cell of this execute request runs now. */
    synchronized void begin(JupyterMessage request) {
        executeRequest = request;
        JsonObject content = request.content();
        allowed = content.has("allow_stdin") && content.get("allow_stdin").getAsBoolean();
        waitingFor = null;
    }

    /** The cell has ended: a reply that comes later answers nothing. */
    synchronized void end() {
        executeRequest = null;
        waitingFor = null;
    }

    /** The snippet reads System.in and needs a line. */
    synchronized void lineWanted() {
        if (executeRequest == null || !allowed) {
            write(new byte[] {SnippetStdin.NO_INPUT});
            return;
        }
        JsonObject content = new JsonObject();
        content.addProperty("prompt", ""); // Java has no prompt: the snippet printed one if it wanted
        content.addProperty("password", false);
        publisher.flushStreams(); // the snippet's own prompt goes out first
        waitingFor = publisher.reply(Channel.STDIN, executeRequest, "input_request", content);
    }

    /** On the socket thread: a message on the stdin channel. */
    synchronized void onMessage(JupyterMessage message) {
        if (!"input_reply".equals(message.msgType()) || waitingFor == null
                || !waitingFor.equals(message.parentMsgId())) {
            return; // stale: its cell was interrupted or has ended
        }
        waitingFor = null;
        String value = message.contentString("value");
        write(value == null || END_OF_INPUT.equals(value) ? new byte[] {SnippetStdin.END_OF_INPUT}
                : (value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The cell is being interrupted: a snippet waiting for a line stops waiting, so that JShell can stop it. */
    synchronized void interrupt() {
        if (waitingFor != null) {
            waitingFor = null;
            write(new byte[] {SnippetStdin.CANCEL});
        }
    }

    private void write(byte[] bytes) {
        if (agentStdin == null) {
            return;
        }
        try {
            agentStdin.write(bytes);
            agentStdin.flush();
        } catch (IOException e) {
            LOG.fine(() -> "The agent's standard input is closed: " + e.getMessage());
        }
    }
}
