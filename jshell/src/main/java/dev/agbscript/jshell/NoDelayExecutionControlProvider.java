package dev.agbscript.jshell;

import com.sun.jdi.VirtualMachine;
import dev.agbscript.jshell.agent.HostChannel;
import dev.agbscript.jshell.agent.JShellAgent;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.execution.JdiInitiator;
import jdk.jshell.execution.Util;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Starts the agent JVM ({@link JShellAgent}) under JDI and connects to it with TCP_NODELAY on the kernel's
 * end too: the JDK's default provider leaves Nagle on and pays ~170 ms per eval (local-kernels.md, Exp. 3).
 * Besides stdout and stderr the connection carries {@link HostChannel}'s frames to the given sink.
 */
final class NoDelayExecutionControlProvider implements ExecutionControlProvider {
    private static final int START_TIMEOUT_MILLIS = 20_000;

    private final List<String> agentVmOptions;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final OutputStream frames;
    private volatile OutputStream agentStdin;
    private volatile ExecutionControl generated;

    /**
     * @param agentVmOptions JVM options of the agent; must put {@link JShellAgent} on its class path
     */
    NoDelayExecutionControlProvider(List<String> agentVmOptions, OutputStream stdout, OutputStream stderr,
                                    OutputStream frames) {
        this.agentVmOptions = List.copyOf(agentVmOptions);
        this.stdout = stdout;
        this.stderr = stderr;
        this.frames = frames;
    }

    /** The agent process's standard input, once it runs: the snippets' System.in reads it. */
    OutputStream agentStdin() {
        return agentStdin;
    }

    /** The execution engine JShell got from this provider, once it did. */
    ExecutionControl generated() {
        return generated;
    }

    @Override
    public String name() {
        return "agb-nodelay";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) throws Throwable {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(START_TIMEOUT_MILLIS);
            List<String> options = new ArrayList<>(agentVmOptions);
            options.addAll(env.extraRemoteVMOptions());
            // Listen mode: JDI waits, and the agent is started with a ProcessBuilder (no quoting of the options).
            JdiInitiator initiator = new JdiInitiator(listener.getLocalPort(), options, JShellAgent.class.getName(),
                    false, null, START_TIMEOUT_MILLIS, Map.of());
            VirtualMachine vm = initiator.vm();
            Process process = initiator.process();
            agentStdin = process.getOutputStream();
            NoDelayExecutionControl[] control = new NoDelayExecutionControl[1];
            // The agent JVM starts suspended; this event loop resumes it, and reports its death (or its
            // disconnect), which ends the session the same way the JDK's provider does.
            Util.detectJdiExitEvent(vm, reason -> {
                env.closeDown();
                if (control[0] != null) {
                    control[0].disposeVm();
                }
            });
            Socket socket = listener.accept();
            socket.setTcpNoDelay(true);
            OutputStream toAgent = socket.getOutputStream();
            InputStream fromAgent = socket.getInputStream();
            ExecutionControl result = Util.remoteInputOutput(fromAgent, toAgent,
                    Map.of("out", stdout, "err", stderr, HostChannel.NAME, frames),
                    Map.of(),
                    (in, out) -> control[0] = new NoDelayExecutionControl(out, in, vm, process,
                            JShellAgent.class.getName()));
            generated = result;
            return result;
        }
    }
}
