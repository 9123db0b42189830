package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionListener;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Java kernel's class data archives: made, mapped by both JVMs in the sandbox, and harmless when unusable. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JavaClassDataTest {
    /** Prints the class data archives this JVM (the agent) maps. */
    private static final String MAPPED = "java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/proc/self/maps\"))"
            + ".stream().filter(l -> l.endsWith(\".jsa\")).map(l -> l.substring(l.lastIndexOf('/') + 1)).distinct()"
            + ".forEach(System.out::println);";
    @TempDir
    Path dir;

    @AfterEach
    void unset() {
        System.clearProperty(JavaClassData.SETTING);
    }

    @Test
    void theListKeepsTheJdksClassesOnly() {
        List<String> kept = JavaClassData.jdkClasses(List.of("# comment", "java/lang/Object id: 0",
                "jdk/jshell/JShell id: 7", "com/google/gson/Gson id: 8", "dev/agbscript/jshell/JShellKernel id: 9",
                "REPL/$JShell$11 id: 10 super: 0 source: /tmp/x", "@lambda-proxy java/lang/Thread run ()V",
                "@lambda-proxy dev/agbscript/jshell/CellRunner run ()V",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L"));
        assertEquals(List.of("java/lang/Object id: 0", "jdk/jshell/JShell id: 7", "@lambda-proxy java/lang/Thread run ()V",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L"), kept);
    }

    @Test
    void withoutArchivesTheKernelStartsAsBefore() throws Exception {
        System.setProperty(JavaClassData.SETTING, dir.resolve("none-here").toString());
        KernelSpec spec = KernelSpecs.java(true);
        assertFalse(spec.argv().stream().anyMatch(arg -> arg.contains("SharedArchiveFile")
                || arg.contains(JavaClassData.AGENT_ARCHIVE_PROPERTY)), spec.argv().toString());
        System.setProperty(JavaClassData.SETTING, "none");
        assertTrue(JavaClassData.folder().isEmpty());
    }

    /** An archive the JVMs cannot use (another JDK's, a broken file) is ignored: the kernel starts and runs. */
    @Test
    void unusableArchivesAreIgnored() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cds"));
        Files.writeString(JavaClassData.archive(folder, JavaClassData.KERNEL), "not an archive");
        Files.writeString(JavaClassData.archive(folder, JavaClassData.AGENT), "not an archive");
        System.setProperty(JavaClassData.SETTING, folder.toString());
        KernelSpec spec = KernelSpecs.java(true);
        assertTrue(spec.argv().contains("-XX:SharedArchiveFile=" + JavaClassData.archive(folder, JavaClassData.KERNEL)),
                spec.argv().toString());
        assertEquals("", run(spec, MAPPED).trim(), "the agent maps no archive");
    }

    /** Made by a training kernel, then mapped by the kernel's JVM and the agent's, in the sandbox. */
    @Test
    void madeArchivesAreMappedByBothJvms() throws Exception {
        Path folder = dir.resolve("cds");
        JavaClassData.build(folder);
        Path kernelArchive = JavaClassData.archive(folder, JavaClassData.KERNEL);
        Path agentArchive = JavaClassData.archive(folder, JavaClassData.AGENT);
        assertTrue(Files.size(kernelArchive) > 0 && Files.size(agentArchive) > 0);
        System.setProperty(JavaClassData.SETTING, folder.toString());
        KernelSpec spec = KernelSpecs.java(true);
        String kernelMaps = "java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/proc/\" + ProcessHandle.current()"
                + ".parent().orElseThrow().pid() + \"/maps\")).stream().anyMatch(l -> l.endsWith(\""
                + kernelArchive.getFileName() + "\"))";
        String out = run(spec, MAPPED + "\nSystem.out.println(\"kernel: \" + " + kernelMaps + ");");
        assertTrue(out.contains(agentArchive.getFileName().toString()), out);
        assertTrue(out.contains("kernel: true"), out);
    }

    /** Starts the kernel of that spec in its sandbox, runs the code, returns its stdout. */
    private String run(KernelSpec spec, String code) throws Exception {
        KernelManager kernel = TestKernels.manager(dir, spec, "cds-test");
        try {
            ExecutionResult result = kernel.client().execute(new ExecutionRequest(Language.JAVA, code,
                    Duration.ofSeconds(60), false), ExecutionListener.NONE);
            assertTrue(result.success(), result.toString());
            return result.logs().stdoutText();
        } finally {
            kernel.stop();
        }
    }
}
