package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that cannot be found says which setting fixes it and where agb-script looked, in every language (the
 * JavaScript kernel's cases, a folder without tslab and jars copied into a host's lib/, are in
 * {@link JavaScriptDiscoveryTest}). Each case runs in a child JVM, whose discovery cache is its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelDiscoveryMessagesTest {
    @Test
    void pythonNamesItsSettingAndTheInterpreterItTried(@TempDir Path empty) throws Exception {
        Path python = empty.resolve("python3");
        String output = probe(System.getProperty("java.class.path"), "PYTHON", "-Dagb.python=" + python);
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("tried [" + python + "] (from agb.python / AGB_PYTHON)"), output);
        assertTrue(output.contains("Set -Dagb.python=/path/to/python3 (or AGB_PYTHON)"), output);
        assertTrue(output.contains("./agb setup"), output);
    }

    @Test
    void rNamesItsSettingAndTheRItTried(@TempDir Path empty) throws Exception {
        Path r = empty.resolve("R");
        String output = probe(System.getProperty("java.class.path"), "R", "-Dagb.r=" + r);
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("tried [" + r + "] (from agb.r / AGB_R)"), output);
        assertTrue(output.contains("Set -Dagb.r=/path/to/R (or AGB_R)"), output);
        assertTrue(output.contains("./agb setup"), output);
    }

    @Test
    void javaNamesItsSettingWhenTheJavaGivenDoesNotRun(@TempDir Path empty) throws Exception {
        Path java = empty.resolve("java");
        String output = probe(System.getProperty("java.class.path"), "JAVA", "-Dagb.java=" + java);
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("agb.java (AGB_JAVA) is " + java + ", which does not run"), output);
        assertTrue(output.contains("Set -Dagb.java=/path/to/bin/java (or AGB_JAVA)"), output);
        assertTrue(output.contains(Path.of(System.getProperty("java.home"), "bin", "java").toString()), output);
    }

    /** As when a host copied agb-script's own jars into its lib/ but not JeroMQ, which the Java kernel runs on. */
    @Test
    void javaSaysWhichDependencyItsClassPathLacksAndWhereItLooked() throws Exception {
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("jeromq")).collect(Collectors.joining(File.pathSeparator));
        String output = probe(classPath, "JAVA", "-Dagb.java=");
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("lacks org.zeromq"), output);
        assertTrue(output.contains("(looked in " + classPath + ")"), output);
        assertTrue(output.contains("the host's lib/"), output);
    }

    private static String probe(String classPath, String language, String property)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath, property,
                JavaScriptDiscoveryProbe.class.getName(), language));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        return output;
    }
}
