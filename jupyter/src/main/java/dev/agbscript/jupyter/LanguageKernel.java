package dev.agbscript.jupyter;

/**
 * One language's kernel in a sandbox, whatever runs it (a local process, a gateway's kernel): started on first use,
 * interrupted, stopped, asked what it is.
 */
public interface LanguageKernel {
    /** The client of the running kernel, started first when none runs or the last one died. */
    KernelClient client();

    boolean isRunning();

    /** What the kernel reported of itself once it ran, else null. */
    String version();

    /** Interrupts the running code; false when no kernel runs. */
    boolean interrupt();

    /** Ends the kernel; the next use starts a new one. */
    void stop();
}
