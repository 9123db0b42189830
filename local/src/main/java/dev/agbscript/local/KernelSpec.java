package dev.agbscript.local;

import dev.agbscript.jupyter.ErrorParser;
import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start and read the kernel of one language, as a Jupyter kernelspec says it and more: the command
 * line, with {@value #CONNECTION_FILE} standing for the connection file, the interrupt mode, the
 * environment, and what agb-script knows of the implementation.
 *
 * @param startTimeout          how long the kernel may take to answer its first {@code kernel_info_request};
 *                              past it, the kernel is killed and started once more
 * @param errors                reads the kernel's tracebacks
 * @param heartbeatWhileBusy    true when the kernel answers its heartbeat while code runs (ipykernel and
 *                              agb-jshell answer it on a thread of their own; IRkernel and tslab only between
 *                              requests), so that a silent heartbeat means a hung kernel even then
 * @param heartbeatTimeout      how long the heartbeat may be silent, when an answer is due, before the kernel
 *                              is taken for hung and stopped
 */
record KernelSpec(Language language, List<String> argv, InterruptMode interruptMode, Map<String, String> environment,
                  Duration startTimeout, ErrorParser errors, boolean heartbeatWhileBusy, Duration heartbeatTimeout) {
    static final String CONNECTION_FILE = "{connection_file}";

    enum InterruptMode {
        /** SIGINT to the kernel process. */
        SIGNAL,
        /** An {@code interrupt_request} on the control channel. */
        MESSAGE
    }

    KernelSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    List<String> command(String connectionFile) {
        return argv.stream().map(arg -> arg.replace(CONNECTION_FILE, connectionFile)).toList();
    }

    KernelSpec withHeartbeatTimeout(Duration timeout) {
        return new KernelSpec(language, argv, interruptMode, environment, startTimeout, errors, heartbeatWhileBusy,
                timeout);
    }
}
