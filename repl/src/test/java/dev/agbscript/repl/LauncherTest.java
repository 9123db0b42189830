package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code agb} launcher on a copy of the project, with stand-ins for Maven and Java on the PATH: it builds
 * only when needed and then says so with one line per module, makes the Java kernel's class data archives once,
 * and it starts the REPL in the user's folder.
 */
class LauncherTest {
    @TempDir
    Path scratch;
    private Path project;
    private Path userFolder;
    private Path bin;

    record Run(int status, String stdout, String stderr) {}

    @BeforeEach
    void copyOfTheProject() throws IOException {
        project = Files.createDirectories(scratch.resolve("project"));
        Files.copy(Path.of(System.getProperty("user.dir")).resolveSibling("agb"), project.resolve("agb"));
        script(project.resolve("scripts/setup.sh"), "true");
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.createDirectories(project.resolve("core/src"));
        Files.writeString(project.resolve("core/src/A.java"), "class A {}");
        age(project.resolve("pom.xml"));
        age(project.resolve("core/src/A.java"));
        userFolder = Files.createDirectories(scratch.resolve("elsewhere"));
        bin = Files.createDirectories(scratch.resolve("bin"));
        // Maven as it prints module progress in batch mode; it builds in the current folder
        script(bin.resolve("mvn"), """
                echo "$PWD $*" >> "$LOG"
                echo '[INFO] Scanning for projects...'
                echo '[INFO] Building agb-script core 0.1.0-SNAPSHOT                                [1/2]'
                echo '[INFO] Building agb-script REPL 0.1.0-SNAPSHOT                                [2/2]'
                if [ -n "${FAIL:-}" ]; then echo '[ERROR] COMPILATION ERROR: A.java:[1] oops'; exit 1; fi
                mkdir -p all/target && echo jar > all/target/agb-script.jar""");
        script(bin.resolve("java"), "echo \"java in $PWD: $*\"");
    }

    @Test
    void theFirstStartBuildsWithProgressAndLaterOnesAreQuiet() throws Exception {
        Run first = agb(Map.of(), "script.py");
        assertEquals(0, first.status(), first.stderr());
        assertTrue(first.stderr().startsWith("agb: building agb-script for the first time"), first.stderr());
        assertTrue(first.stderr().contains("\nagb:   [1/2] agb-script core\nagb:   [2/2] agb-script REPL\nagb: built in "),
                first.stderr());
        assertEquals(List.of(project + " -B -ntp -DskipTests package"), Files.readAllLines(scratch.resolve("log")));
        String started = "java in " + userFolder + ": -jar " + project + "/all/target/agb-script.jar script.py\n";
        assertEquals(started, first.stdout(), "stdout is the script's own");
        assertTrue(first.stderr().contains("agb: making the Java kernel's class data archives (once per JDK")
                && first.stderr().contains("dev.agbscript.local.JavaClassData " + project + "/all/target/lib/agb-cds"),
                first.stderr());

        Run second = agb(Map.of(), "script.py");
        assertEquals(new Run(0, started, ""), second, "no second build and no second class data archives");
        assertEquals(1, Files.readAllLines(scratch.resolve("log")).size(), "no second build");

        Files.writeString(project.resolve("core/src/A.java"), "class A { int changed; }");
        Run changed = agb(Map.of(), "-e", "1");
        assertTrue(changed.stderr().startsWith("agb: sources changed since the last build: rebuilding"), changed.stderr());
    }

    @Test
    void aFailedBuildShowsTheEndOfMavensOutputAndWhereTheRestIs() throws Exception {
        Run failed = agb(Map.of("FAIL", "1"));
        assertEquals(1, failed.status());
        assertEquals("", failed.stdout(), "the REPL did not start");
        assertTrue(failed.stderr().contains("agb: the build failed; Maven's whole output is in "), failed.stderr());
        assertTrue(failed.stderr().contains("[ERROR] COMPILATION ERROR: A.java:[1] oops"), failed.stderr());
    }

    private Run agb(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of(project.resolve("agb").toString())));
        builder.command().addAll(List.of(args));
        builder.directory(userFolder.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("LOG", scratch.resolve("log").toString());
        builder.environment().put("TMPDIR", scratch.toString());
        builder.environment().putAll(env);
        builder.redirectOutput(scratch.resolve("stdout").toFile()).redirectError(scratch.resolve("stderr").toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "agb did not end");
        return new Run(process.exitValue(), Files.readString(scratch.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(scratch.resolve("stderr"), StandardCharsets.UTF_8));
    }

    private static void script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Sources older than anything a build makes now. */
    private static void age(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
    }
}
