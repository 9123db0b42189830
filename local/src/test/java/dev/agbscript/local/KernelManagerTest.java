package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.jupyter.ErrorParser;
import dev.agbscript.jupyter.KernelException;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starting, watching and stopping kernel processes, against real kernels and real processes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelManagerTest {
    private static final Duration SHORT_HEARTBEAT = Duration.ofSeconds(1);
    @TempDir
    Path dir;

    @Test
    void aFrozenKernelIsFoundByItsHeartbeatAndReplaced() throws Exception {
        KernelManager kernel = manager(KernelSpecs.forLanguage(Language.PYTHON).withHeartbeatTimeout(SHORT_HEARTBEAT));
        try {
            long frozen = pidOf(kernel);
            long start = System.nanoTime();
            // SIGSTOP stops every thread of the kernel, the one that answers the heartbeat too.
            ExecutionResult result = kernel.client().execute(new ExecutionRequest(Language.PYTHON,
                    "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)", Duration.ofSeconds(60), false),
                    ExecutionListener.NONE);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            ExecutionError error = result.error().orElseThrow();
            assertEquals(ExecutionError.Kind.KERNEL_DIED, error.kind(), error.toString());
            assertTrue(error.value().contains("heartbeat") && error.value().contains("state is lost"), error.value());
            assertTrue(seconds < 10, "found after " + seconds + " s, not by the heartbeat");
            assertFalse(ProcessHandle.of(frozen).map(ProcessHandle::isAlive).orElse(false), "the frozen kernel lives");
            assertNotEquals(frozen, pidOf(kernel), "the next execution runs in a new kernel");
        } finally {
            kernel.stop();
        }
    }

    @Test
    void aKernelThatAnswersItsHeartbeatOnlyBetweenRequestsIsNotTakenForHungWhileItWorks() throws Exception {
        KernelManager kernel = manager(KernelSpecs.forLanguage(Language.R).withHeartbeatTimeout(SHORT_HEARTBEAT));
        try {
            ExecutionResult result = kernel.client().execute(new ExecutionRequest(Language.R,
                    "Sys.sleep(1.8)\n'slept'", Duration.ofSeconds(60), false), ExecutionListener.NONE);
            assertTrue(result.success(), () -> result.error().toString());
            assertEquals("slept", result.mainResult().orElseThrow().valueJson().replace("\"", ""));
        } finally {
            kernel.stop();
        }
    }

    @Test
    void aKernelThatNeverAnswersFailsAfterItsStartTimeoutNamingTheSetting() {
        KernelManager kernel = manager(spec(List.of("/bin/sleep", "60")));
        KernelException e = assertThrows(KernelException.class, kernel::client);
        assertTrue(e.getMessage().contains("did not answer within 1 s (agb.kernels.start.timeout"), e.getMessage());
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
                .contains("/bin/sleep 60")), "a kernel that did not start was left running");
    }

    @Test
    void aKernelThatExitsAtStartSaysWhatItWrote() {
        KernelManager kernel = manager(spec(List.of("/bin/sh", "-c", "echo no module named ipykernel >&2; exit 3")));
        KernelException e = assertThrows(KernelException.class, kernel::client);
        assertTrue(e.getMessage().contains("exited (code 3) at start"), e.getMessage());
        assertTrue(e.getMessage().contains("no module named ipykernel"), e.getMessage());
    }

    private KernelSpec spec(List<String> argv) {
        return new KernelSpec(Language.PYTHON, argv, KernelSpec.InterruptMode.SIGNAL, Map.of(), Duration.ofSeconds(1),
                ErrorParser.IPYKERNEL, true, SHORT_HEARTBEAT, "-", List.of(), KernelSpec.Heap.NONE);
    }

    private KernelManager manager(KernelSpec spec) {
        try {
            return TestKernels.manager(dir, spec, "test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The kernel's pid as this host sees it: it starts the kernel when none runs. */
    private static long pidOf(KernelManager kernel) throws InterruptedException {
        ExecutionResult result = kernel.client().execute(ExecutionRequest.of(Language.PYTHON, "1"),
                ExecutionListener.NONE);
        assertTrue(result.success(), result.toString());
        return kernel.pid();
    }
}
