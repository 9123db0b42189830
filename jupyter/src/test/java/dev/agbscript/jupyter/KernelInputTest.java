package dev.agbscript.jupyter;

import static dev.agbscript.jupyter.Messages.from;
import static dev.agbscript.jupyter.Messages.replyOk;
import static dev.agbscript.jupyter.Messages.status;
import static dev.agbscript.jupyter.Messages.stdout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.agbscript.session.ExecutionError.Kind;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's answers to a kernel's {@code input_request}s, against a scripted kernel that asks as ipykernel does
 * (on stdin, its parent the execute request; not at all when {@code allow_stdin} is false) or as IRkernel does
 * (whatever {@code allow_stdin} says).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelInputTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private final AskingKernel kernel = new AskingKernel();
    private final AtomicInteger interrupts = new AtomicInteger();

    @AfterEach
    void close() {
        kernel.transport.shutdownNow();
    }

    @Test
    void aRequestIsAnsweredOnStdinWithTheLineAndTheRequestAsParent() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        ExecutionResult result = run("input", (prompt, password) -> {
            asked.add(prompt + "|" + password);
            return "Ada";
        });
        assertTrue(result.success(), result.toString());
        assertEquals("got Ada\n", result.logs().stdoutText());
        assertEquals(List.of("Name? |false"), asked);
        assertTrue(kernel.allowStdin, "allow_stdin is true when there is input");
        JupyterMessage reply = kernel.replies.get(0);
        assertEquals("input_reply", reply.msgType());
        assertEquals(kernel.inputRequestId, reply.parentMsgId(), "the reply's parent is the input_request");
        assertEquals("client", reply.header().get("session").getAsString());
    }

    @Test
    void aPasswordRequestSaysSo() throws Exception {
        List<Boolean> password = new CopyOnWriteArrayList<>();
        kernel.password = true;
        run("input", (prompt, hidden) -> {
            password.add(hidden);
            return "secret";
        });
        assertEquals(List.of(true), password);
    }

    @Test
    void theEndOfTheInputIsTheEndOfTransmissionCharacterIpykernelTurnsIntoEOFError() throws Exception {
        run("input", (prompt, password) -> null);
        assertEquals(InputReplier.END_OF_INPUT, kernel.replies.get(0).contentString("value"));
    }

    @Test
    void inRTheEndOfTheInputIsAnEmptyLineAsRsOwnReadlineGives() throws Exception {
        run(Language.R, "input", (prompt, password) -> null);
        assertEquals("", kernel.replies.get(0).contentString("value"));
    }

    @Test
    void withoutInputTheKernelIsToldAndItsErrorSaysHowToGiveInput() throws Exception {
        ExecutionResult result = run("input", InputSource.none("give the context a reader"));
        assertFalse(kernel.allowStdin);
        assertEquals("StdinNotImplementedError", result.error().orElseThrow().name());
        assertEquals("raw_input was called, but this frontend does not support input requests."
                + " (give the context a reader)", result.error().orElseThrow().value());
        assertTrue(result.error().orElseThrow().traceback().endsWith("input requests. (give the context a reader)"),
                "the traceback's last line says it too: " + result.error().orElseThrow().traceback());
        assertTrue(kernel.replies.isEmpty());
    }

    @Test
    void aKernelThatAsksAnywayIsInterruptedAndTheRunFailsAtOnceSayingHowToGiveInput() throws Exception {
        kernel.ignoresAllowStdin = true;
        ExecutionResult result = run(Language.R, "input", InputSource.none("give the context a reader"));
        assertEquals("StdinNotImplementedError", result.error().orElseThrow().name());
        assertEquals("readline() asked for input, but give the context a reader", result.error().orElseThrow().value());
        assertEquals(1, interrupts.get());
        assertTrue(kernel.replies.isEmpty(), "no reply: the kernel was interrupted instead");
    }

    @Test
    void aTimeoutWhileTheInputIsReadInterruptsTheKernelAndTheReaderAndNoLateReplyIsSent() throws Exception {
        CountDownLatch readerInterrupted = new CountDownLatch(1);
        ExecutionResult result = run(new ExecutionRequest(Language.PYTHON, "input", Duration.ofMillis(400), false),
                (prompt, password) -> {
                    try {
                        Thread.sleep(LONG.toMillis()); // a person who never answers
                    } catch (InterruptedException e) {
                        readerInterrupted.countDown();
                        return "typed too late";
                    }
                    return "never";
                });
        assertEquals(Kind.TIMEOUT, result.error().orElseThrow().kind());
        assertEquals(1, interrupts.get());
        assertTrue(readerInterrupted.await(5, TimeUnit.SECONDS), "the reading thread is interrupted");
        kernel.drain();
        assertTrue(kernel.replies.isEmpty(), "the line read after the end is dropped: " + kernel.replies);
    }

    @Test
    void ctrlCAtTheInputPromptInterruptsTheKernel() throws Exception {
        ExecutionResult result = run("input", (prompt, password) -> {
            throw new InterruptedIOException("Ctrl-C");
        });
        assertEquals(1, interrupts.get());
        assertEquals("KeyboardInterrupt", result.error().orElseThrow().name(), "the kernel's own error: " + result);
    }

    @Test
    void anInputThatCannotBeReadFailsTheRunWithItsMessage() throws Exception {
        ExecutionResult result = run("input", (prompt, password) -> {
            throw new IOException("the terminal is gone");
        });
        assertEquals("Cannot read the input the code asked for: the terminal is gone",
                result.error().orElseThrow().value());
        assertEquals(1, interrupts.get());
    }

    private ExecutionResult run(String code, InputSource input) throws InterruptedException {
        return run(Language.PYTHON, code, input);
    }

    private ExecutionResult run(Language language, String code, InputSource input) throws InterruptedException {
        return run(new ExecutionRequest(language, code, LONG, false), input);
    }

    private ExecutionResult run(ExecutionRequest request, InputSource input) throws InterruptedException {
        KernelClient client = new KernelClient(request.language(), ErrorParser.IPYKERNEL, new KernelControl() {
            @Override
            public void interrupt() {
                interrupts.incrementAndGet();
                kernel.interrupted();
            }

            @Override
            public Optional<String> failure(boolean busy, long sinceNanos) {
                return Optional.empty();
            }

            @Override
            public void stop() {
            }
        }, kernel::connect);
        return client.execute(request, new ExecutionListener() {
            @Override
            public InputSource input() {
                return input;
            }
        });
    }

    /** Asks for a line as ipykernel's input() does, and prints what it got. */
    private static final class AskingKernel implements KernelConnection {
        final ExecutorService transport = Executors.newSingleThreadExecutor();
        final List<JupyterMessage> replies = new CopyOnWriteArrayList<>();
        volatile MessageHandler handler;
        volatile boolean password;
        volatile boolean ignoresAllowStdin;
        volatile boolean allowStdin;
        volatile String inputRequestId;
        volatile JupyterMessage running;

        KernelConnection connect(MessageHandler handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public String clientSessionId() {
            return "client";
        }

        @Override
        public void send(Channel channel, JupyterMessage message) {
            transport.execute(() -> answer(channel, message));
        }

        /** Waits until what was sent so far has been handled. */
        void drain() throws Exception {
            transport.submit(() -> { }).get(5, TimeUnit.SECONDS);
        }

        private void answer(Channel channel, JupyterMessage message) {
            if (channel == Channel.STDIN) {
                replies.add(message);
                if (running != null) {
                    finish(running, "got " + message.contentString("value") + "\n", null);
                }
                return;
            }
            if (!"execute_request".equals(message.msgType())) {
                return;
            }
            String id = message.msgId();
            allowStdin = message.content().get("allow_stdin").getAsBoolean();
            handler.onMessage(Channel.IOPUB, status(id, "busy"));
            if (!allowStdin && !ignoresAllowStdin) {
                finish(message, null, "{\"ename\": \"StdinNotImplementedError\", \"evalue\": \"raw_input was called,"
                        + " but this frontend does not support input requests.\", \"traceback\": [\"StdinNotImplementedError:"
                        + " raw_input was called, but this frontend does not support input requests.\"]}");
                return;
            }
            running = message;
            JsonObject content = new JsonObject();
            content.addProperty("prompt", "Name? ");
            content.addProperty("password", password);
            JupyterMessage request = JupyterMessage.request("input_request", content, "kernel");
            inputRequestId = request.msgId();
            handler.onMessage(Channel.STDIN, new JupyterMessage(List.of(), request.header(), message.header(),
                    new JsonObject(), content));
        }

        void interrupted() {
            transport.execute(() -> {
                if (running != null) {
                    finish(running, null, "{\"ename\": \"KeyboardInterrupt\", \"evalue\": \"Interrupted by user\","
                            + " \"traceback\": []}");
                }
            });
        }

        private void finish(JupyterMessage request, String out, String error) {
            String id = request.msgId();
            running = null;
            if (out != null) {
                handler.onMessage(Channel.IOPUB, stdout(id, out));
            }
            if (error != null) {
                handler.onMessage(Channel.IOPUB, from(id, "error", error));
                handler.onMessage(Channel.SHELL, from(id, "execute_reply", "{\"status\": \"error\", "
                        + error.substring(1)));
            } else {
                handler.onMessage(Channel.SHELL, replyOk(id, 1));
            }
            handler.onMessage(Channel.IOPUB, status(id, "idle"));
        }

        @Override
        public void close() {
            transport.shutdownNow();
        }
    }
}
