package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JavaScript kernel is found in the project-local install, or the error says how to get it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaScriptDiscoveryTest {
    @Test
    void findsTheProjectLocalTslabAboveTheClassesAndTheMachinesNode() throws Exception {
        KernelSpec spec = KernelSpecs.forLanguage(Language.JAVASCRIPT);
        Path tslab = Path.of(spec.environment().get("AGB_TSLAB_DIR"));
        assertEquals(tslab.toRealPath(), tslab, "the real path, which node uses and the sandbox mounts");
        Path classes = Path.of(KernelSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path found = null;
        for (Path dir = classes; dir != null && found == null; dir = dir.getParent()) {
            Path candidate = dir.resolve(KernelSpecs.NODE_RUNTIME).resolve("node_modules/tslab");
            found = Files.isDirectory(candidate) ? candidate.toRealPath() : null;
        }
        assertEquals(found, tslab, "the install above the classes");
        assertTrue(spec.readOnly().contains(tslab.getParent()), "its modules are mounted: " + spec.readOnly());
        assertTrue(spec.argv().get(0).endsWith("node"), spec.argv().toString());
        assertEquals(KernelSpec.CONNECTION_FILE, spec.argv().get(spec.argv().size() - 1));
    }

    @Test
    void aMissingKernelSaysToRunSetup(@TempDir Path empty) throws Exception {
        String output = probe(System.getProperty("java.class.path"), "-Dagb.node.kernel=" + empty);
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("./agb setup"), output);
        assertTrue(output.contains("agb.node.kernel (AGB_NODE_KERNEL) is " + empty), output);
    }

    /** As when a host copies the jars into its own lib/: no install above them, and the error says what to set. */
    @Test
    void classesCopiedElsewhereNameTheSettingAndWhereTheyLooked(@TempDir Path host) throws Exception {
        Path classes = Path.of(KernelSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = host.resolve("lib/agb-script-local");
        Files.createDirectories(copy.getParent());
        try (var files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(classes.relativize(file).toString()));
            }
        }
        String classPath = System.getProperty("java.class.path").replace(classes.toString(), copy.toString());
        String output = probe(classPath, "-Dagb.node.kernel=");
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("-Dagb.node.kernel="), output);
        assertTrue(output.contains(copy + " or any folder above it"), output);
    }

    private static String probe(String classPath, String property) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", classPath, property,
                JavaScriptDiscoveryProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        return output;
    }
}
