package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kernel processes never outlive their session, their manager or the JVM. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelLifecycleTest {
    @TempDir
    Path sessionsDir;

    @Test
    void closingTheManagerStopsEveryKernelAndDeletesTheSessionDirectories() throws Exception {
        SessionManager manager = SessionManager.create(new LocalBackend(sessionsDir));
        List<ProcessHandle> kernels = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Session session = manager.newSession();
            assertTrue(session.execute(Language.PYTHON, "x = 1").success());
            kernels.add(pythonKernelOf());
        }
        assertEquals(2, kernels.stream().filter(ProcessHandle::isAlive).count());
        try (var dirs = Files.list(sessionsDir)) { // and .owners, this process's mark (FolderOwners)
            long count = dirs.filter(dir -> dir.getFileName().toString().startsWith("local-")).count();
            // the sessions' two, and the warm pool's (its default size) for the kernel it holds or starts
            assertTrue(count >= 2, count + " directories");
        }

        manager.close();

        for (ProcessHandle kernel : kernels) {
            assertFalse(kernel.isAlive(), "kernel " + kernel.pid() + " survived close()");
        }
        String folder = sessionsDir.toString();
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(folder)).count(),
                "kernel processes (the pool's too) survived close()");
        try (var dirs = Files.list(sessionsDir)) {
            assertEquals(0, dirs.filter(dir -> dir.getFileName().toString().startsWith("local-")).count(),
                    "session directories were left behind");
        }
    }

    @Test
    void kernelsDieWithTheJvmEvenWhenItIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dagb.local.dir=" + sessionsDir, KernelOrphanProbe.class.getName())
                .redirectErrorStream(true).start();
        long kernelPid = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("KERNEL ")) {
                    kernelPid = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
        }
        assertTrue(kernelPid > 0, "the probe JVM did not report a kernel: " + output);
        ProcessHandle kernel = ProcessHandle.of(kernelPid).orElseThrow();
        assertTrue(kernel.isAlive());

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));

        kernel.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(kernel.isAlive(), "kernel " + kernelPid + " outlived the killed JVM");
    }

    @Test
    void aSessionRunsItsKernelInItsPrivateWorkingDirectory() throws Exception {
        try (SessionManager manager = SessionManager.create(new LocalBackend(sessionsDir))) {
            Session session = manager.newSession();
            var result = session.execute(ExecutionRequest.of(Language.PYTHON, "import os\nos.getcwd()"),
                    ExecutionListener.NONE);
            String cwd = result.mainResult().orElseThrow().text();
            assertNotNull(cwd);
            assertTrue(cwd.contains(sessionsDir.toString()) && cwd.endsWith("/work'"), cwd);
        }
    }

    /** The newest python kernel among this JVM's descendants. */
    private static ProcessHandle pythonKernelOf() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("ipykernel_launcher"))
                .max((a, b) -> Long.compare(a.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L),
                        b.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L)))
                .orElseThrow();
    }
}
