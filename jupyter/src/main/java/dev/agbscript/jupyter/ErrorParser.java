package dev.agbscript.jupyter;

import dev.agbscript.session.ExecutionError;
import java.util.List;

/**
 * Reads a kernel's {@code error} message: which {@link ExecutionError.Kind} it is and where in the submitted
 * code it happened. Each kernel implementation writes its tracebacks its own way, so there is one parser per
 * implementation, named by the kernel spec.
 */
@FunctionalInterface
public interface ErrorParser {
    /** ipykernel (IPython 8). */
    ErrorParser IPYKERNEL = new IpykernelErrorParser();
    /** IRkernel, with the R prelude's line of the failing top-level expression. */
    ErrorParser IRKERNEL = new IrkernelErrorParser();
    /** tslab's JavaScript kernel with the JavaScript prelude, which names each cell's script. */
    ErrorParser TSLAB = new TslabErrorParser();
    /** agb-jshell, agb-script's own Java kernel. */
    ErrorParser AGB_JSHELL = new AgbJShellErrorParser();
    /** Any other kernel: a code error with no position. */
    ErrorParser PLAIN = (name, value, traceback, executionCount) -> new ExecutionError(name, value, traceback);

    /**
     * @param traceback      the traceback lines joined, without terminal colors ({@link #plainText})
     * @param executionCount the execution count of the failed cell, or null
     */
    ExecutionError parse(String name, String value, String traceback, Integer executionCount);

    /** Traceback lines as one text, without terminal colors. */
    static String plainText(List<String> traceback) {
        // Kernels color their tracebacks for terminals.
        return String.join("\n", traceback).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
    }
}
