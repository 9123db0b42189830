package dev.agbscript.jshell.agent;

import dev.agbscript.session.ValueJson;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.jshell.execution.RemoteExecutionControl;
import jdk.jshell.execution.Util;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;
import jdk.jshell.spi.ExecutionControl.InternalException;
import jdk.jshell.spi.ExecutionControl.RunException;

/**
 * The main class of the agent JVM, where snippets run. It is JShell's {@link RemoteExecutionControl} with
 * three changes: TCP_NODELAY on its socket (without it Nagle plus delayed ACK cost ~170 ms per eval), UTF-8
 * stdout/stderr, and a side channel ({@link HostChannel}) that carries displays and the JSON of each
 * invocation's value. It exits when its parent (the kernel) is gone.
 */
public final class JShellAgent extends RemoteExecutionControl {

    public static void main(String[] args) throws Exception {
        watchParent();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        // Each multiplexed write is flushed at its end, so a buffer only merges the 127-byte packets of one write.
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        Map<String, Consumer<OutputStream>> outputs = new HashMap<>();
        outputs.put("out", stream -> System.setOut(new PrintStream(stream, true, StandardCharsets.UTF_8)));
        outputs.put("err", stream -> System.setErr(new PrintStream(stream, true, StandardCharsets.UTF_8)));
        outputs.put(HostChannel.NAME, HostChannel::install);
        // System.in is the process's own, which the kernel writes lines into (see SnippetStdin), not JShell's pipe
        System.setIn(new SnippetStdin(new java.io.FileInputStream(java.io.FileDescriptor.in)));
        Map<String, Consumer<InputStream>> inputs = new HashMap<>();
        Util.forwardExecutionControlAndIO(new JShellAgent(), in, out, outputs, inputs);
        System.exit(0);
    }

    /** A kernel killed by SIGKILL cannot stop its agent; the agent notices instead. */
    private static void watchParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        Thread watcher = new Thread(() -> {
            parent.get().onExit().join();
            Runtime.getRuntime().halt(1);
        }, "agb-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Runs a snippet and tells the kernel the JSON of its value before the reply goes out. */
    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = doitMethod.invoke(null);
        releaseTemporary(doitMethod.getDeclaringClass());
        String json = ValueJson.writeOrNull(value);
        HostChannel.send(HostChannel.VALUE, json == null ? "" : json);
        return valueString(value);
    }

    /**
     * An expression's snippet keeps its value in a static field {@code $N} of its class, which stays loaded after the
     * kernel drops the snippet (as it does once the value is read): the field lets go of it, so that a host's evals
     * keep no result alive.
     */
    private static void releaseTemporary(Class<?> snippetClass) {
        java.lang.reflect.Field[] fields = snippetClass.getDeclaredFields();
        if (fields.length != 1) {
            return;
        }
        java.lang.reflect.Field field = fields[0];
        int modifiers = field.getModifiers();
        if (TEMPORARY.matcher(field.getName()).matches() && java.lang.reflect.Modifier.isStatic(modifiers)
                && !java.lang.reflect.Modifier.isFinal(modifiers) && !field.getType().isPrimitive()) {
            try {
                field.setAccessible(true);
                field.set(null, null);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // the value stays: memory, not correctness
            }
        }
    }

    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\$\\d+");
}
