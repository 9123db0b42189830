package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a JVM killed with SIGKILL leaves on disk is removed by the next process that uses the same sessions directory,
 * and nothing of a live process is.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashHygieneTest {
    @TempDir
    Path sessionsDir;

    @Test
    void theNextProcessRemovesTheSessionFoldersOfAKilledJvmAndKeepsThoseOfALiveOne() throws Exception {
        Probe killed = Probe.start(sessionsDir, "kernel", 2);
        Probe alive = Probe.start(sessionsDir, "none", 1);
        try {
            assertEquals(2, killed.folders.size(), killed.output.toString());
            killed.folders.forEach(folder -> assertTrue(Files.isDirectory(folder), folder.toString()));
            assertTrue(Files.exists(killed.folders.get(0).resolve("work/left-behind")));
            ProcessHandle kernel = ProcessHandle.of(killed.kernelPid).orElseThrow();

            killed.process.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is closed
            assertTrue(killed.process.waitFor(30, TimeUnit.SECONDS));
            kernel.onExit().get(30, TimeUnit.SECONDS); // its kernel dies with it (pdeathsig)
            killed.folders.forEach(folder -> assertTrue(Files.isDirectory(folder), "still there: " + folder));
            Path legacy = Files.createDirectory(sessionsDir.resolve("local-0123abcd-42")); // no owner: never ours to judge

            try (SessionManager manager = SessionManager.create(new LocalBackend(sessionsDir, 0))) { // no pool: one folder of ours
                Session session = manager.newSession();
                assertTrue(session.execute(Language.PYTHON, "1 + 1").success());
                List<Path> removed = FolderOwners.of(sessionsDir).sweep().get(60, TimeUnit.SECONDS);

                assertEquals(killed.folders.stream().sorted().toList(), removed.stream().sorted().toList());
                killed.folders.forEach(folder -> assertFalse(Files.exists(folder), "left behind: " + folder));
                alive.folders.forEach(folder -> assertTrue(Files.isDirectory(folder), "a live process's: " + folder));
                assertTrue(Files.isDirectory(legacy));
                List<Path> sessionFolders = sessionFolders();
                assertEquals(3, sessionFolders.size(), sessionFolders.toString()); // the live one's, ours, legacy
                assertEquals(2, lockFiles().size(), "the dead one's lock file went: " + lockFiles());
            }
            assertEquals(java.util.Set.of(alive.folders.get(0), legacy), java.util.Set.copyOf(sessionFolders()),
                    "ours went when closed");
        } finally {
            killed.process.destroyForcibly();
            alive.process.destroyForcibly();
        }
        assertTrue(alive.process.waitFor(30, TimeUnit.SECONDS));
    }

    private List<Path> sessionFolders() throws Exception {
        try (Stream<Path> entries = Files.list(sessionsDir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("local-")).sorted().toList();
        }
    }

    private List<Path> lockFiles() throws Exception {
        try (Stream<Path> entries = Files.list(sessionsDir.resolve(FolderOwners.OWNERS))) {
            return entries.toList();
        }
    }

    /** A child JVM running {@link SessionFolderProbe}, once it printed READY. */
    private record Probe(Process process, List<Path> folders, long kernelPid, List<String> output) {
        static Probe start(Path sessionsDir, String mode, int sessions) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dagb.local.dir=" + sessionsDir, SessionFolderProbe.class.getName(), mode,
                    String.valueOf(sessions)).redirectErrorStream(true).start();
            List<Path> folders = new ArrayList<>();
            List<String> output = new ArrayList<>();
            long kernelPid = -1;
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("FOLDER ")) {
                    folders.add(Path.of(line.substring(7).trim()));
                } else if (line.startsWith("KERNEL ")) {
                    kernelPid = Long.parseLong(line.substring(7).trim());
                } else if (line.equals("READY")) {
                    break;
                }
            }
            assertTrue(output.contains("READY"), "the probe did not get ready: " + output);
            return new Probe(process, folders, kernelPid, output);
        }
    }
}
