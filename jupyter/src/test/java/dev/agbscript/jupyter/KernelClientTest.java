package dev.agbscript.jupyter;

import static dev.agbscript.jupyter.Messages.from;
import static dev.agbscript.jupyter.Messages.replyOk;
import static dev.agbscript.jupyter.Messages.status;
import static dev.agbscript.jupyter.Messages.stdout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionError.Kind;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's protocol against a scripted kernel on a fake transport: what it sends, and when it takes an
 * execution for complete. (The real kernels are the local module's tests.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelClientTest {
    private static final Duration LONG = Duration.ofSeconds(20);
    private final ScriptedKernel kernel = new ScriptedKernel();
    private final Control control = new Control();

    @AfterEach
    void close() {
        kernel.transport.shutdownNow();
    }

    @Test
    void startNudgesUntilIopubDeliversThenReportsTheKernel() {
        kernel.iopubJoinsAfter = 3; // ZeroMQ's slow joiner: the first statuses are lost
        KernelClient client = client();
        client.start(LONG);
        assertTrue(kernel.sent("kernel_info_request") >= 3, kernel.log.toString());
        assertEquals("python 3.11.2 (ipython 8.5.0)", client.version());
    }

    @Test
    void anExecutionWhoseIdleStatusIsLostCompletesThroughABarrierWithAllItsOutput() throws Exception {
        kernel.loseIdleOf = "1 + 1";
        ExecutionResult result = client().execute(request("1 + 1"), ExecutionListener.NONE);
        assertTrue(result.success(), result.toString());
        assertEquals("out\n", result.logs().stdoutText());
        assertEquals("2", result.mainResult().orElseThrow().text());
        assertEquals(List.of("execute_request", "kernel_info_request"), kernel.log, "one barrier after the reply");
    }

    @Test
    void anExecutionWhoseReplyIsLostCompletesThroughABarrier() throws Exception {
        kernel.loseReplyOf = "1 + 1";
        ExecutionResult result = client().execute(request("1 + 1"), ExecutionListener.NONE);
        assertTrue(result.success(), result.toString());
        assertEquals("2", result.mainResult().orElseThrow().text());
        assertEquals(List.of("execute_request", "kernel_info_request"), kernel.log);
    }

    @Test
    void aKernelThatSaysAllNeedsNoBarrier() throws Exception {
        ExecutionResult result = client().execute(request("1 + 1"), ExecutionListener.NONE);
        assertEquals("out\n", result.logs().stdoutText());
        assertEquals(List.of("execute_request"), kernel.log);
    }

    @Test
    void aKernelThatDiesWhileTheCodeRunsGivesAKernelDiedErrorAndIsStopped() throws Exception {
        kernel.silent = true;
        control.failure = "exited (code 9)";
        ExecutionResult result = client().execute(request("import os; os._exit(9)"), ExecutionListener.NONE);
        assertEquals(Kind.KERNEL_DIED, result.error().orElseThrow().kind());
        assertTrue(result.error().orElseThrow().value().startsWith("The Python kernel exited (code 9) while running"),
                result.error().orElseThrow().value());
        assertEquals(1, control.stops.get());
    }

    @Test
    void aTimeoutInterruptsTheKernelWhichKeepsItsState() throws Exception {
        kernel.silent = true; // until interrupted
        ExecutionResult result = client().execute(request("while True: pass").withTimeout(Duration.ofMillis(300)),
                ExecutionListener.NONE);
        assertEquals(Kind.TIMEOUT, result.error().orElseThrow().kind());
        assertTrue(result.error().orElseThrow().value().endsWith("the kernel was interrupted and keeps its state"));
        assertEquals(1, control.interrupts.get());
        assertEquals(0, control.stops.get());
    }

    @Test
    void aKernelThatIgnoresTheInterruptIsStopped() throws Exception {
        kernel.silent = true;
        kernel.ignoresInterrupts = true;
        ExecutionResult result = client().execute(request("while True: pass").withTimeout(Duration.ofMillis(300)),
                ExecutionListener.NONE);
        assertEquals(Kind.TIMEOUT, result.error().orElseThrow().kind());
        assertTrue(result.error().orElseThrow().value().endsWith("was restarted, so its state is lost"));
        assertEquals(1, control.stops.get());
    }

    @Test
    void aKernelThatExitsAtStartIsAKernelException() {
        kernel.silent = true;
        control.failure = "exited (code 1)";
        KernelException e = assertThrows(KernelException.class, () -> client().start(LONG));
        assertTrue(e.getMessage().contains("exited (code 1) at start"), e.getMessage());
    }

    private KernelClient client() {
        return new KernelClient(Language.PYTHON, ErrorParser.IPYKERNEL, control, kernel::connect);
    }

    private static ExecutionRequest request(String code) {
        return new ExecutionRequest(Language.PYTHON, code, LONG, false);
    }

    /** The kernel's owner: counts what the client asks of it, reports the failure it is given. */
    private final class Control implements KernelControl {
        final AtomicInteger interrupts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();
        volatile String failure;

        @Override
        public void interrupt() {
            interrupts.incrementAndGet();
            kernel.interrupted();
        }

        @Override
        public Optional<String> failure(boolean busy, long sinceNanos) {
            return Optional.ofNullable(failure);
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }
    }

    /** Answers like ipykernel, on a transport thread of its own, losing what it is told to lose. */
    private static final class ScriptedKernel implements KernelConnection {
        final ExecutorService transport = Executors.newSingleThreadExecutor();
        final List<String> log = new CopyOnWriteArrayList<>();
        volatile MessageHandler handler;
        volatile int iopubJoinsAfter;
        volatile String loseIdleOf;
        volatile String loseReplyOf;
        volatile boolean silent;
        volatile boolean ignoresInterrupts;
        volatile JupyterMessage running;
        int received;

        KernelConnection connect(MessageHandler handler) {
            this.handler = handler;
            return this;
        }

        int sent(String type) {
            return (int) log.stream().filter(type::equals).count();
        }

        @Override
        public String clientSessionId() {
            return "client";
        }

        @Override
        public void send(Channel channel, JupyterMessage request) {
            log.add(request.msgType());
            transport.execute(() -> answer(request));
        }

        private void answer(JupyterMessage request) {
            received++;
            String id = request.msgId();
            if ("kernel_info_request".equals(request.msgType())) {
                if (silent) {
                    return;
                }
                iopub(status(id, "busy"), received > iopubJoinsAfter);
                shell(from(id, "kernel_info_reply", "{\"status\": \"ok\", \"implementation\": \"ipython\","
                        + " \"implementation_version\": \"8.5.0\","
                        + " \"language_info\": {\"name\": \"python\", \"version\": \"3.11.2\"}}"));
                iopub(status(id, "idle"), received > iopubJoinsAfter);
            } else if ("execute_request".equals(request.msgType())) {
                running = request;
                if (!silent) {
                    finish(request);
                }
            }
        }

        void interrupted() {
            transport.execute(() -> {
                if (!ignoresInterrupts && running != null) {
                    iopub(from(running.msgId(), "error", "{\"ename\": \"KeyboardInterrupt\", \"evalue\": \"\","
                            + " \"traceback\": []}"), true);
                    finish(running);
                }
            });
        }

        private void finish(JupyterMessage request) {
            String id = request.msgId();
            String code = request.contentString("code");
            iopub(status(id, "busy"), true);
            iopub(stdout(id, "out\n"), true);
            iopub(from(id, "execute_result", "{\"execution_count\": 1, \"data\": {\"text/plain\": \"2\"}}"), true);
            if (!code.equals(loseReplyOf)) {
                shell(replyOk(id, 1));
            }
            iopub(status(id, "idle"), !code.equals(loseIdleOf));
            running = null;
        }

        private void iopub(JupyterMessage message, boolean delivered) {
            if (delivered) {
                handler.onMessage(Channel.IOPUB, message);
            }
        }

        private void shell(JupyterMessage message) {
            handler.onMessage(Channel.SHELL, message);
        }

        @Override
        public void close() {
            transport.shutdownNow();
        }
    }
}
