package dev.agbscript.jshell;

import dev.agbscript.jshell.agent.JShellAgent;
import java.io.OutputStream;
import java.io.PrintStream;
import dev.agbscript.session.ValueJson;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.spi.ExecutionControl;

/**
 * Builds the kernel's JShell: the NODELAY execution engine, the agent JVM's options and class path, and
 * the startup imports (those of the {@code jshell} tool, plus {@code display}).
 */
final class JShellFactory {
    private static final Logger LOG = Logger.getLogger(JShellFactory.class.getName());
    static final String AGENT_OPTIONS_ENV = JShellKernel.AGENT_OPTIONS_ENV;
    /**
     * Default agent options. Serial GC: one collector thread and less footprint for a single-user REPL;
     * full tiered compilation stays on, since user code may compute.
     */
    static final List<String> AGENT_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData",
            "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true");
    /**
     * System property of the kernel JVM: the agent JVM's class data archive (made by agb-script-local's
     * {@code JavaClassData}), used when its file is readable; the JVM ignores an archive it cannot use
     * ({@code -Xshare:auto}), while a missing file would cost it its default archive too, hence the check.
     */
    static final String AGENT_ARCHIVE_PROPERTY = "agb.jshell.agent.archive";
    static final List<String> STARTUP = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "import static dev.agbscript.jshell.agent.Display.display;",
            // The prelude functions of the contract in core's Prelude that Java can have: reading a variable
            // takes the variable itself; binding and calling are code the engine writes (JavaPreludeCalls).
            "java.util.Map<String, Object> _agb_get(Object value) {"
                    + " return dev.agbscript.jshell.agent.Variables.describe(value); }",
            "java.util.List<String> _agb_names() { return dev.agbscript.jshell.agent.Declarations.variables(); }",
            "java.util.List<String> _agb_functions() { return dev.agbscript.jshell.agent.Declarations.methods(); }");

    private JShellFactory() {}

    /**
     * A started JShell, the execution engine it runs on (for the kernel's own commands to the agent), and the agent
     * process's standard input (the snippets' System.in).
     */
    record Agent(JShell shell, ExecutionControl control, OutputStream stdin) {}

    static Agent create(OutputStream stdout, OutputStream stderr, OutputStream frames) {
        String classPath = agentClassPath();
        List<String> options = new ArrayList<>(AGENT_OPTIONS);
        String archive = System.getProperty(AGENT_ARCHIVE_PROPERTY);
        if (archive != null && !archive.isBlank() && java.nio.file.Files.isReadable(Path.of(archive))) {
            options.add("-XX:SharedArchiveFile=" + archive);
        }
        String extra = System.getenv(AGENT_OPTIONS_ENV);
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        options.add("-cp");
        options.add(classPath);
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        NoDelayExecutionControlProvider provider = new NoDelayExecutionControlProvider(options, stdout, stderr, frames);
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .out(none)
                .err(none)
                .build();
        // The compiler needs the display API too; in the agent it comes from the system class path.
        shell.addToClasspath(classPath);
        for (String snippet : STARTUP) {
            for (SnippetEvent event : shell.eval(snippet)) {
                if (event.status() == Snippet.Status.REJECTED) {
                    LOG.warning("Startup snippet rejected: " + snippet);
                }
            }
        }
        return new Agent(shell, provider.generated(), provider.agentStdin());
    }

    /** Where the agent's classes are: the agent's own and the value codec's (directories or jars). */
    static String agentClassPath() {
        return String.join(java.io.File.pathSeparator, location(JShellAgent.class), location(ValueJson.class));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the classes of " + type.getName(), e);
        }
    }
}
