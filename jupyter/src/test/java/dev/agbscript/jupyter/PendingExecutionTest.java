package dev.agbscript.jupyter;

import static dev.agbscript.jupyter.Messages.from;
import static dev.agbscript.jupyter.Messages.replyOk;
import static dev.agbscript.jupyter.Messages.status;
import static dev.agbscript.jupyter.Messages.stdout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The folding of one execution's messages into its result, and when it is complete, without a kernel. */
class PendingExecutionTest {
    private static final String REQUEST = "request-1";
    private final List<String> heard = new ArrayList<>();
    private final ExecutionListener listener = new ExecutionListener() {
        @Override
        public void onStdout(String chunk) {
            heard.add("out:" + chunk);
        }

        @Override
        public void onStderr(String chunk) {
            heard.add("err:" + chunk);
        }

        @Override
        public void onResult(MimeBundle result) {
            heard.add("result:" + result.text());
        }

        @Override
        public void onError(ExecutionError error) {
            heard.add("error:" + error.name());
        }
    };
    private final PendingExecution execution = new PendingExecution(REQUEST, ErrorParser.IPYKERNEL, listener);

    @Test
    void aPagerPayloadOfTheReplyIsADisplay() {
        execution.onMessage(Channel.IOPUB, status(REQUEST, "busy"));
        execution.onMessage(Channel.IOPUB, status(REQUEST, "idle"));
        execution.onMessage(Channel.SHELL, from(REQUEST, "execute_reply", "{\"status\": \"ok\", \"execution_count\": 2,"
                + " \"payload\": [{\"source\": \"page\", \"data\": {\"text/plain\": \"Signature: len(obj, /)\"},"
                + " \"start\": 0}, {\"source\": \"set_next_input\", \"text\": \"x\"}]}"));

        ExecutionResult result = execution.build();
        assertTrue(result.success());
        assertEquals(1, result.results().size(), "only the page: " + result.results());
        assertEquals("Signature: len(obj, /)", result.results().get(0).text());
        assertFalse(result.results().get(0).isMainResult());
        assertEquals(List.of("result:Signature: len(obj, /)"), heard);
    }

    @Test
    void foldsStreamsDisplaysAndTheResultInTheOrderTheyCame() {
        execution.onMessage(Channel.IOPUB, status(REQUEST, "busy"));
        execution.onMessage(Channel.IOPUB, from(REQUEST, "execute_input", "{\"code\": \"x\"}"));
        execution.onMessage(Channel.IOPUB, stdout(REQUEST, "one\n"));
        execution.onMessage(Channel.IOPUB, from(REQUEST, "stream", "{\"name\": \"stderr\", \"text\": \"warn\\n\"}"));
        execution.onMessage(Channel.IOPUB, from(REQUEST, "display_data",
                "{\"data\": {\"text/plain\": \"<Figure>\", \"image/png\": \"iVBOR\"}, \"metadata\": {}}"));
        execution.onMessage(Channel.IOPUB, from(REQUEST, "execute_result", "{\"execution_count\": 7, \"data\": "
                + "{\"text/plain\": \"42\", \"application/vnd.agb.value+json\": \"42\"}, \"metadata\": {}}"));
        execution.onMessage(Channel.IOPUB, status(REQUEST, "idle"));
        execution.onMessage(Channel.SHELL, replyOk(REQUEST, 7));

        assertTrue(execution.complete());
        ExecutionResult result = execution.build();
        assertTrue(result.success());
        assertEquals(List.of("one\n"), result.logs().stdout());
        assertEquals(List.of("warn\n"), result.logs().stderr());
        assertEquals(2, result.results().size());
        assertEquals("iVBOR", result.results().get(0).png());
        assertFalse(result.results().get(0).isMainResult());
        assertEquals("42", result.mainResult().orElseThrow().valueJson());
        assertEquals(7, result.executionCount().getAsInt());
        assertEquals(REQUEST, result.requestId());
        assertEquals(List.of("out:one\n", "err:warn\n", "result:<Figure>", "result:42"), heard);
    }

    /** A result the connection received but could not read fails the execution, which would else succeed without it. */
    @Test
    void aLostResultFailsTheExecutionAndSaysWhy() {
        JupyterMessage result = from(REQUEST, "execute_result", "{\"data\": {}}");
        execution.onMessage(Channel.IOPUB, status(REQUEST, "busy"));
        execution.onMessage(Channel.IOPUB, result.lost("its 70000000 bytes did not fit in the host's memory (raise"
                + " the host JVM's -Xmx)", true));
        execution.onMessage(Channel.IOPUB, status(REQUEST, "idle"));
        execution.onMessage(Channel.SHELL, replyOk(REQUEST, 3));

        ExecutionResult built = execution.build();
        assertFalse(built.success());
        ExecutionError error = built.error().orElseThrow();
        assertEquals(ExecutionError.Kind.LIMIT, error.kind());
        assertTrue(error.value().contains("execute_result") && error.value().contains("-Xmx"), error.value());

        PendingExecution other = new PendingExecution("request-2", ErrorParser.IPYKERNEL, ExecutionListener.NONE);
        other.onMessage(Channel.IOPUB, from("request-2", "display_data", "{}").lost("its content is not valid JSON",
                false));
        assertEquals(ExecutionError.Kind.ABORTED, other.build().error().orElseThrow().kind());
    }

    @Test
    void isCompleteOnlyWhenBothTheReplyAndTheIdleStatusCame() {
        execution.onMessage(Channel.SHELL, replyOk(REQUEST, 1));
        assertFalse(execution.complete(), "the reply alone: iopub may still carry output");
        execution.onMessage(Channel.IOPUB, stdout(REQUEST, "late\n"));
        execution.onMessage(Channel.IOPUB, status(REQUEST, "idle"));
        assertTrue(execution.complete());
        assertEquals("late\n", execution.build().logs().stdoutText());

        PendingExecution other = new PendingExecution("request-2", ErrorParser.IPYKERNEL, ExecutionListener.NONE);
        other.onMessage(Channel.IOPUB, status("request-2", "idle"));
        assertFalse(other.complete(), "the idle status alone: the reply may still come");
        assertTrue(other.finishedNanos() != 0, "the code has finished, though");
    }

    @Test
    void messagesOfOtherRequestsAreIgnored() {
        execution.onMessage(Channel.IOPUB, stdout("someone-else", "not mine\n"));
        execution.onMessage(Channel.IOPUB, status("someone-else", "idle"));
        execution.onMessage(Channel.SHELL, replyOk("someone-else", 3));
        assertFalse(execution.complete());
        assertEquals(0, execution.finishedNanos());
        assertEquals("", execution.build().logs().stdoutText());
    }

    @Test
    void anIopubMessageOfABarrierStandsForALostIdleStatus() {
        execution.addBarrier("barrier-1");
        execution.onMessage(Channel.SHELL, replyOk(REQUEST, 1));
        execution.onMessage(Channel.SHELL, from("barrier-1", "kernel_info_reply", "{\"status\": \"ok\"}"));
        assertFalse(execution.complete(), "the barrier's reply says nothing of iopub");
        execution.onMessage(Channel.IOPUB, status("barrier-1", "busy"));
        assertTrue(execution.complete());
    }

    @Test
    void theReplyOfABarrierStandsForALostExecuteReply() {
        execution.addBarrier("barrier-1");
        execution.onMessage(Channel.IOPUB, stdout(REQUEST, "out\n"));
        execution.onMessage(Channel.IOPUB, status(REQUEST, "idle"));
        execution.onMessage(Channel.IOPUB, status("barrier-1", "busy"));
        assertFalse(execution.complete(), "the barrier's iopub says nothing of shell");
        execution.onMessage(Channel.SHELL, from("barrier-1", "kernel_info_reply", "{\"status\": \"ok\"}"));
        assertTrue(execution.complete());
        assertTrue(execution.build().success());
    }

    @Test
    void anErrorIsReadByTheKernelsParserFromTheErrorMessageOrElseTheReply() {
        execution.onMessage(Channel.IOPUB, from(REQUEST, "error", "{\"ename\": \"ZeroDivisionError\", "
                + "\"evalue\": \"division by zero\", \"traceback\": [\"\\u001b[0;31mCell In [4], line 2\\u001b[0m\"]}"));
        execution.onMessage(Channel.SHELL, from(REQUEST, "execute_reply", "{\"status\": \"error\", "
                + "\"execution_count\": 4, \"ename\": \"Other\", \"evalue\": \"\", \"traceback\": []}"));
        ExecutionError error = execution.build().error().orElseThrow();
        assertEquals("ZeroDivisionError", error.name(), "the first error wins");
        assertEquals(2, error.line());
        assertEquals("Cell In [4], line 2", error.traceback());

        PendingExecution replyOnly = new PendingExecution("r", ErrorParser.IPYKERNEL, ExecutionListener.NONE);
        replyOnly.onMessage(Channel.SHELL, from("r", "execute_reply", "{\"status\": \"error\", \"execution_count\": 1,"
                + " \"ename\": \"NameError\", \"evalue\": \"x\", \"traceback\": [\"Cell In [1], line 3\"]}"));
        assertEquals(3, replyOnly.build().error().orElseThrow().line());

        PendingExecution aborted = new PendingExecution("a", ErrorParser.IPYKERNEL, ExecutionListener.NONE);
        aborted.onMessage(Channel.SHELL, from("a", "execute_reply", "{\"status\": \"aborted\"}"));
        assertEquals(ExecutionError.Kind.ABORTED, aborted.build().error().orElseThrow().kind());
    }

    @Test
    void aTimeoutReplacesTheInterruptErrorItCaused() {
        execution.onMessage(Channel.IOPUB, from(REQUEST, "error",
                "{\"ename\": \"KeyboardInterrupt\", \"evalue\": \"\", \"traceback\": []}"));
        execution.replaceError(ExecutionError.timeout("Execution timed out"));
        assertEquals(ExecutionError.Kind.TIMEOUT, execution.build().error().orElseThrow().kind());
        assertEquals(List.of("error:KeyboardInterrupt", "error:TimeoutError"), heard);
    }

    @Test
    void mimeDataKeepsTextAndWritesJsonAsJson() {
        var data = PendingExecution.mimeData(com.google.gson.JsonParser.parseString("{\"data\": {"
                + "\"text/plain\": \"plain\", \"text/html\": [\"<b>\", \"x</b>\"], \"application/json\": {\"a\": [1, 2]},"
                + " \"application/vnd.vegalite.v5+json\": \"{\\\"mark\\\": \\\"bar\\\"}\"}}").getAsJsonObject());
        assertEquals("plain", data.get("text/plain"));
        assertEquals("<b>x</b>", data.get("text/html"));
        assertEquals("{\"a\":[1,2]}", data.get("application/json"));
        assertEquals("{\"mark\": \"bar\"}", data.get("application/vnd.vegalite.v5+json"));
    }
}
