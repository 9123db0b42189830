package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        assertTrue(tslab.endsWith(Path.of(KernelSpecs.NODE_RUNTIME, "node_modules", "tslab")), tslab.toString());
        Path classes = Path.of(KernelSpecs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(classes.startsWith(tslab.getParent().getParent().getParent().getParent()), classes.toString());
        assertTrue(spec.argv().get(0).endsWith("node"), spec.argv().toString());
        assertEquals(KernelSpec.CONNECTION_FILE, spec.argv().get(spec.argv().size() - 1));
    }

    @Test
    void aMissingKernelSaysToRunSetup(@TempDir Path empty) throws Exception {
        String output = probe("-Dagb.node.kernel=" + empty);
        assertTrue(output.startsWith("ERROR "), output);
        assertTrue(output.contains("./agb setup"), output);
    }

    private static String probe(String property) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), property,
                JavaScriptDiscoveryProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        return output;
    }
}
