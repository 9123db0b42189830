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
 * {@link #kill} ends it on normal shutdown. In a sandbox, the process is bwrap's, whose death ends the whole
 * sandbox, children of the kernel included (see {@link Bubblewrap}).
 *
 * <p>It runs in a process session of its own ({@code setsid}), so that a terminal's Ctrl-C (SIGINT to the
 * terminal's foreground process group, the JVM's) never reaches it: only {@link #sendInterrupt} does.
 *
 * <p>Linux sends the parent-death signal when the <em>thread</em> that forked the child exits, so every
 * kernel is started from one launcher thread that lives as long as the JVM.
 */
final class KernelProcess {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agb-kernel-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final Process process;
    private final Path log;
    private final boolean sandboxed;
    private volatile long kernelPid;

    private KernelProcess(Process process, Path log, boolean sandboxed) {
        this.process = process;
        this.log = log;
        this.sandboxed = sandboxed;
    }

    /**
     * Starts the command in the directory; its stdout and stderr go to the log file.
     *
     * @param environment the whole environment when sandboxed, else added to this process's
     * @param sandboxed   whether the command is bwrap's: the kernel is then its grandchild (bwrap's init is pid 1 of the
     *                    sandbox)
     */
    static KernelProcess start(List<String> command, Path directory, Map<String, String> environment, Path log,
                               boolean sandboxed) {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString()); // not a group leader (it is in the JVM's group), so setsid does not fork
        }
        if (Files.isExecutable(SETPRIV)) {
            argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (sandboxed) {
            builder.environment().clear();
        }
        builder.environment().putAll(environment);
        try {
            // submit(), not execute(): a failing task must not kill the launcher thread.
            return new KernelProcess(LAUNCHER.submit(builder::start).get(30, TimeUnit.SECONDS), log, sandboxed);
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

    /** The pid of the process started: bwrap's, in a sandbox. */
    long pid() {
        return process.pid();
    }

    /**
     * The kernel's own pid, as this host sees it: in a sandbox, the child of bwrap's init (the kernel runs in place of
     * the {@code setpriv}, {@code unshare} and {@code prlimit} before it); else the process started. -1 while it is not
     * there yet.
     */
    long kernelPid() {
        long known = kernelPid;
        if (known > 0 || !sandboxed) {
            return sandboxed ? known : process.pid();
        }
        long found = process.toHandle().children().findFirst()
                .flatMap(init -> init.children().findFirst()).map(ProcessHandle::pid).orElse(-1L);
        if (found > 0) {
            kernelPid = found;
        }
        return found;
    }

    /** Runs when the process has exited. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
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
        return logTail(15);
    }

    /** The last lines of the kernel's log, at most that many. */
    String logTail(int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * SIGINT to the kernel, as jupyter_client does for {@code interrupt_mode: signal} kernels: to the kernel itself,
     * never to bwrap, whose death would end the sandbox.
     */
    void sendInterrupt() {
        long pid = kernelPid();
        if (pid <= 0) {
            return; // not started yet: nothing runs to interrupt
        }
        try {
            // Java has no signal API; the shell's kill does it.
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -INT " + pid).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new KernelException("Cannot interrupt kernel " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to the grace period for a voluntary exit, then kills the process and its descendants (a sandbox's init,
     * the kernel, its children), and waits until they are gone: a kernel in a sandbox is not this JVM's child, and is
     * reaped a moment after its sandbox ends.
     */
    void kill(long graceMillis) {
        // Taken first: once the sandbox's init exits, its processes are no longer its descendants, yet they live on
        // until the namespace's end kills them and the host's init reaps them.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        try {
            process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.addAll(process.descendants().filter(p -> !all.contains(p)).toList());
        all.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        all.add(process.toHandle());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle each : all) {
            try {
                each.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // killed; the host's init reaps it when it can
            }
        }
    }
}
