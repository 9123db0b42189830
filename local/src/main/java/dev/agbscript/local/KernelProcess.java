package dev.agbscript.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.agbscript.jupyter.KernelException;

/**
 * A kernel's operating-system process. It never outlives the JVM: it is started under
 * {@code setpriv --pdeathsig KILL}, so the kernel gets SIGKILL when the JVM dies, even by SIGKILL, and
 * {@link #kill()} ends it on normal shutdown.
 *
 * <p>Linux sends the parent-death signal when the <em>thread</em> that forked the child exits, so every
 * kernel is started from one launcher thread that lives as long as the JVM.
 */
final class KernelProcess {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agb-kernel-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final Process process;
    private final Path log;

    private KernelProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the command in the directory; its stdout and stderr go to the log file. */
    static KernelProcess start(List<String> command, Path directory, Map<String, String> environment, Path log) {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            // submit(), not execute(): a failing task must not kill the launcher thread.
            return new KernelProcess(LAUNCHER.submit(builder::start).get(30, TimeUnit.SECONDS), log);
        } catch (ExecutionException e) {
            throw new KernelException("Cannot start kernel " + command + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KernelException("Cannot start kernel " + command + ": launcher did not answer", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it runs. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The last lines the kernel wrote to its log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGINT to the kernel, as jupyter_client does for {@code interrupt_mode: signal} kernels. */
    void sendInterrupt() {
        try {
            // Java has no signal API; the kill(1) of the shell does it.
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -INT " + process.pid()).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new KernelException("Cannot interrupt kernel " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to the grace period for a voluntary exit, then kills the process and its descendants. */
    void kill(long graceMillis) {
        try {
            process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
