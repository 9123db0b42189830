package dev.agbscript.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.jupyter.JupyterMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel as any Jupyter client sees it: message types, order, parents, counts and replies. */
class JShellKernelProtocolTest {
    @TempDir
    static Path dir;
    private static BareKernelClient kernel;
    private static JsonObject kernelInfo;

    @BeforeAll
    static void start() throws Exception {
        kernel = new BareKernelClient(dir);
        kernelInfo = kernel.awaitReady(30_000);
    }

    @AfterAll
    static void stop() throws Exception {
        Process process = kernel.process();
        kernel.close();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the kernel did not exit on shutdown_request");
    }

    private static List<String> types(List<JupyterMessage> messages) {
        return messages.stream().map(m -> m.msgType() + ("status".equals(m.msgType())
                ? ":" + m.contentString("execution_state") : "")).toList();
    }

    @Test
    void kernelInfoNamesJavaAndTheRunningJdk() {
        JsonObject language = kernelInfo.getAsJsonObject("language_info");
        assertEquals("java", language.get("name").getAsString());
        assertEquals(Runtime.version().toString(), language.get("version").getAsString());
        assertEquals("5.3", kernelInfo.get("protocol_version").getAsString());
    }

    @Test
    void executeSendsItsMessagesInJupyterOrder() {
        List<JupyterMessage> messages = kernel.execute(
                "System.out.println(\"out\");\ndisplay.html(\"<i>x</i>\");\n40 + 2", false, 30_000);
        assertEquals(List.of("status:busy", "execute_input", "stream", "display_data", "execute_result",
                "status:idle", "execute_reply"), types(messages), messages.toString());
        JupyterMessage result = messages.get(4);
        JsonObject data = result.content().getAsJsonObject("data");
        assertEquals("42", data.get("text/plain").getAsString());
        assertEquals("42", data.get("application/vnd.agb.value+json").getAsString());
        int count = messages.get(1).content().get("execution_count").getAsInt();
        assertEquals(count, result.content().get("execution_count").getAsInt());
        JupyterMessage reply = messages.get(6);
        assertEquals("ok", reply.contentString("status"));
        assertEquals(count, reply.content().get("execution_count").getAsInt());

        List<JupyterMessage> next = kernel.execute("1", false, 30_000);
        assertEquals(count + 1, next.get(next.size() - 1).content().get("execution_count").getAsInt());
    }

    @Test
    void silentExecutionHasNoInputNoResultAndKeepsTheCount() {
        List<JupyterMessage> before = kernel.execute("0", false, 30_000);
        int count = before.get(before.size() - 1).content().get("execution_count").getAsInt();
        List<JupyterMessage> silent = kernel.execute("int hidden = 3; hidden * 2", true, 30_000);
        assertEquals(List.of("status:busy", "status:idle", "execute_reply"), types(silent));
        assertEquals(count, silent.get(2).content().get("execution_count").getAsInt());
        // Without history the result still comes (hosts read values this way) but the count stays.
        List<JupyterMessage> noHistory = kernel.execute("hidden + 1", false, false, 30_000);
        assertEquals(List.of("status:busy", "execute_input", "execute_result", "status:idle", "execute_reply"),
                types(noHistory));
        assertEquals("4", noHistory.get(2).content().getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals(count, noHistory.get(4).content().get("execution_count").getAsInt());
    }

    @Test
    void anExpressionsValueIsNotKeptAliveOnceItWasSent() {
        kernel.execute("java.util.List<java.lang.ref.WeakReference<Object>> refs = new java.util.ArrayList<>();", false,
                30_000);
        List<JupyterMessage> made = kernel.execute(
                "new Object() { { refs.add(new java.lang.ref.WeakReference<>(this)); } public String toString() {"
                        + " return \"made\"; } }", false, 30_000);
        assertEquals("made", resultText(made));
        List<JupyterMessage> after = kernel.execute("System.gc();\nrefs.get(0).get() == null", false, 30_000);
        assertEquals("true", resultText(after), "the value of an earlier expression is still reachable in the agent");
    }

    private static String resultText(List<JupyterMessage> messages) {
        JupyterMessage result = messages.stream().filter(m -> "execute_result".equals(m.msgType())).findFirst()
                .orElseThrow(() -> new AssertionError(messages.toString()));
        return result.content().getAsJsonObject("data").get("text/plain").getAsString();
    }

    @Test
    void errorsAreSentOnIopubAndInTheReply() {
        List<JupyterMessage> messages = kernel.execute("int a = 1;\nString s = null;\ns.length()", false, 30_000);
        assertEquals(List.of("status:busy", "execute_input", "error", "status:idle", "execute_reply"),
                types(messages));
        JupyterMessage reply = messages.get(4);
        assertEquals("error", reply.contentString("status"));
        assertEquals("java.lang.NullPointerException", reply.contentString("ename"));
        String traceback = reply.content().getAsJsonArray("traceback").toString();
        assertTrue(traceback.contains("--> line 3"), traceback);
    }

    @Test
    void isCompleteTellsIncompleteFromComplete() {
        assertEquals("complete", isComplete("int x = 1;"));
        assertEquals("complete", isComplete("int x = 1; x + 1"));
        assertEquals("incomplete", isComplete("void f() {"));
        assertEquals("incomplete", isComplete("int y = 1; for (int i = 0; i < 3; i++) {"));
    }

    private static String isComplete(String code) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        JupyterMessage request = kernel.request("is_complete_request", content);
        kernel.sendShell(request);
        JupyterMessage reply = kernel.shellReplyTo(request, 30_000);
        assertNotNull(reply);
        assertEquals("is_complete_reply", reply.msgType());
        return reply.contentString("status");
    }

    @Test
    void completeSuggestsMembers() {
        String code = "\"abc\".toUpp";
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", code.length());
        JupyterMessage request = kernel.request("complete_request", content);
        kernel.sendShell(request);
        JupyterMessage reply = kernel.shellReplyTo(request, 30_000);
        assertNotNull(reply);
        assertEquals("complete_reply", reply.msgType());
        assertTrue(reply.content().getAsJsonArray("matches").toString().contains("toUpperCase("),
                reply.content().toString());
        assertEquals(6, reply.content().get("cursor_start").getAsInt());
        assertEquals(code.length(), reply.content().get("cursor_end").getAsInt());
    }

    @Test
    void interruptRequestStopsATightLoopAndKeepsState() {
        kernel.execute("int before = 9;", false, 30_000);
        JsonObject content = new JsonObject();
        content.addProperty("code", "System.out.println(\"spinning\"); while (true) {}");
        content.addProperty("silent", false);
        JupyterMessage request = kernel.request("execute_request", content);
        kernel.sendShell(request);
        // Interrupt once the loop is running: its print has arrived.
        boolean spinning = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!spinning && System.nanoTime() < deadline) {
            JupyterMessage message = kernel.receiveIopub(100);
            spinning = message != null && request.msgId().equals(message.parentMsgId())
                    && "stream".equals(message.msgType());
        }
        assertTrue(spinning);
        JupyterMessage interrupt = kernel.request("interrupt_request", new JsonObject());
        kernel.sendControl(interrupt);
        JupyterMessage interruptReply = kernel.controlReplyTo(interrupt, 10_000);
        assertNotNull(interruptReply);
        assertEquals("interrupt_reply", interruptReply.msgType());
        JupyterMessage reply = kernel.shellReplyTo(request, 10_000);
        assertNotNull(reply, "the loop was not stopped");
        assertEquals("error", reply.contentString("status"));
        assertEquals(CellRunner.INTERRUPTED, reply.contentString("ename"));
        List<JupyterMessage> after = kernel.execute("before + 1", false, 30_000);
        JupyterMessage result = after.stream().filter(m -> "execute_result".equals(m.msgType())).findFirst()
                .orElseThrow(() -> new AssertionError(after.toString()));
        assertEquals("10", result.content().getAsJsonObject("data").get("text/plain").getAsString());
        assertFalse(after.isEmpty());
    }
}
