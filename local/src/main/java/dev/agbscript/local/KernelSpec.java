package dev.agbscript.local;

import dev.agbscript.session.Language;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start the kernel of one language, as a Jupyter kernelspec says it: the command line, with
 * {@value #CONNECTION_FILE} standing for the connection file, the interrupt mode and the environment.
 *
 * @param startTimeout how long the kernel may take to answer its first {@code kernel_info_request};
 *                     past it, the kernel is killed and started once more
 */
record KernelSpec(Language language, List<String> argv, InterruptMode interruptMode, Map<String, String> environment,
                  Duration startTimeout) {
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
}
