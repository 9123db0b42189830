package dev.agbscript.jupyter;

import java.util.Optional;

/**
 * What only the owner of a kernel (its process manager, or the server that runs it) can do or know. A
 * {@link KernelClient} is given one to interrupt the kernel and to tell a dead or hung kernel from a busy one.
 */
public interface KernelControl {
    /** Asks the running code to stop: SIGINT to the process, or an {@code interrupt_request} on control. */
    void interrupt();

    /**
     * Why the kernel can no longer answer (it exited; its heartbeat has been silent too long), or empty.
     *
     * @param busy       true while the kernel may be running code: some kernels do not answer their
     *                   heartbeat then, so only the others can be judged by it
     * @param sinceNanos since when ({@link System#nanoTime()}) the kernel has been expected to answer
     */
    Optional<String> failure(boolean busy, long sinceNanos);

    /** Ends the kernel at once; its state is lost, and the next request starts a new one. */
    void stop();
}
