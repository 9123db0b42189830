package dev.agbscript.local;

import dev.agbscript.jupyter.ErrorParser;
import dev.agbscript.session.Language;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * @param ipcSeparator          what the kernel puts between the {@code ip} and the port of an {@code ipc} socket:
 *                              {@code -} as jupyter_client (ipykernel, IRkernel, agb-jshell), {@code :} (tslab)
 * @param readOnly              what the kernel needs of the host besides {@code /usr} and {@code /etc} (its
 *                              interpreter elsewhere, its libraries, its class path), mounted read-only in its sandbox
 * @param heap                  how the sandbox's memory limit reaches the runtime
 */
record KernelSpec(Language language, List<String> argv, InterruptMode interruptMode, Map<String, String> environment,
                  Duration startTimeout, ErrorParser errors, boolean heartbeatWhileBusy, Duration heartbeatTimeout,
                  String ipcSeparator, List<Path> readOnly, Heap heap) {
    static final String CONNECTION_FILE = "{connection_file}";

    /** How a runtime is told of the memory limit beyond the address space limit every process gets. */
    enum Heap {
        /** Nothing more: allocations beyond the limit fail (Python's MemoryError, R's "cannot allocate"). */
        NONE,
        /** Node's heap at half the limit: V8 reserves address space well beyond its heap. */
        NODE,
        /**
         * The kernel JVM (which compiles) and the agent JVM (which runs the snippets, half the limit) sized to fit:
         * a JVM reserves a gigabyte of address space for classes alone unless told otherwise.
         */
        JVM
    }

    enum InterruptMode {
        /** SIGINT to the kernel process. */
        SIGNAL,
        /** An {@code interrupt_request} on the control channel. */
        MESSAGE
    }

    KernelSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        readOnly = List.copyOf(readOnly);
    }

    /** The command line, with the runtime's options for a memory limit of that many bytes per process (-1: none). */
    List<String> command(String connectionFile, long memory) {
        List<String> command = new ArrayList<>(argv.stream().map(arg -> arg.replace(CONNECTION_FILE, connectionFile))
                .toList());
        if (memory > 0 && heap == Heap.NODE) {
            command.add(1, "--max-old-space-size=" + Math.max(64, (memory >> 20) / 2));
        } else if (memory > 0 && heap == Heap.JVM) {
            command.addAll(1, jvmOptions(Math.min(512L << 20, memory / 4)));
        }
        return command;
    }

    /** The kernel's environment: for the JVM, the agent's options come first, so that the host's win. */
    Map<String, String> environment(long memory) {
        if (memory <= 0 || heap != Heap.JVM) {
            return environment;
        }
        Map<String, String> all = new HashMap<>(environment);
        String agent = String.join(" ", jvmOptions(memory / 2));
        all.merge(dev.agbscript.jshell.JShellKernel.AGENT_OPTIONS_ENV, agent, (host, ours) -> ours + " " + host);
        return all;
    }

    /** A heap of that size, and class space and code cache small enough for the address space limit. */
    private static List<String> jvmOptions(long heap) {
        return List.of("-Xmx" + Math.max(32, heap >> 20) + "m", "-XX:CompressedClassSpaceSize=64m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=256m");
    }

    /**
     * Code run silently in a kernel started ahead of need (the warm pool) before it is handed out, leaving nothing the
     * user could see. Java's first snippets cost about a second (JShell's compiler, the agent and the value's JSON
     * warm up), so a throwaway variable is declared, changed by a statement, read as a value (a variable's value makes
     * no {@code $N} temporary) a few times, then dropped. R compiles the prelude's functions on their first calls
     * (its JIT), which costs the first evals 100-200 ms each, so a few values go the prelude's way to the client
     * (assigning nothing; the execution count stays, as for any silent run). Python and JavaScript answer their first run at once.
     */
    List<String> warmUp() {
        List<String> cells = new ArrayList<>();
        if (language == Language.JAVA) {
            cells.add("var _agbWarmUp = new java.util.ArrayList<Object>(java.util.List.of(1L, 2.5, \"a\", java.util.Map.of(\"k\", true)));");
            for (int i = 0; i < 3; i++) {
                cells.add("if (_agbWarmUp.add(_agbWarmUp.size() + " + i + ")) {}"); // a statement: no $N temporary
                cells.add("_agbWarmUp");
            }
            cells.add("/drop _agbWarmUp");
        } else if (language == Language.R) {
            for (int i = 0; i < 3; i++) {
                cells.add("1 + " + i);
                cells.add("list(a = " + i + "L, b = \"x\", c = c(1.5, NA), d = list(TRUE))");
            }
            cells.add("invisible(NULL)"); // .Last.value: nothing of the warm-up's
        }
        return List.copyOf(cells);
    }

    KernelSpec withHeartbeatTimeout(Duration timeout) {
        return new KernelSpec(language, argv, interruptMode, environment, startTimeout, errors, heartbeatWhileBusy,
                timeout, ipcSeparator, readOnly, heap);
    }

    KernelSpec withStartTimeout(Duration timeout) {
        return new KernelSpec(language, argv, interruptMode, environment, timeout, errors, heartbeatWhileBusy,
                heartbeatTimeout, ipcSeparator, readOnly, heap);
    }
}
