package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relative paths mean the folder the REPL was started in (or the one {@code --workdir} chose): the script
 * argument, {@code /open} and {@code /save}, and the code's own files when the backend runs the kernels there.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class WorkingFolderTest {
    @TempDir
    Path scratch;

    @Test
    void scriptsOpenAndSaveUseTheFolderTheReplWasStartedIn() throws Exception {
        Path project = Files.createDirectories(scratch.resolve("project"));
        Files.writeString(project.resolve("lib.py"), "answer = 42\n");
        ReplProcess.Outcome piped = ReplProcess.runIn(project, scratch, "/open lib.py\nanswer\n/save again.py\n", Map.of());
        assertEquals("42\nSaved 2 lines to " + project.resolve("again.py") + "\n", piped.output());
        assertEquals("answer = 42\nanswer\n", Files.readString(project.resolve("again.py")));
        assertFalse(Files.exists(scratch.resolve("again.py")));

        ReplProcess.Outcome script = ReplProcess.runIn(project, scratch, "", Map.of(), "again.py");
        assertEquals(new ReplProcess.Outcome(0, "42\n"), script);
    }

    @Disabled("until the local backend honours the working folder")
    @Test
    void codeRunsInTheUsersFolderAndWhatItWritesStays() throws Exception {
        Path project = Files.createDirectories(scratch.resolve("project"));
        ReplProcess.Outcome outcome = ReplProcess.runIn(project, scratch, """
                import os
                print(os.getcwd())
                open('from-python.txt', 'w').write('python')
                /js
                require('fs').writeFileSync('from-js.txt', 'javascript')
                /r
                writeLines('r', 'from-r.txt')
                /java
                java.nio.file.Files.writeString(java.nio.file.Path.of("from-java.txt"), "java")
                /session
                """, Map.of());
        assertEquals(0, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith(project.toRealPath() + "\n"), outcome.output());
        assertTrue(outcome.output().contains("Folder:   " + project + "\n"), outcome.output());
        assertEquals("python", Files.readString(project.resolve("from-python.txt")), "kept after the REPL ended");
        assertEquals("javascript", Files.readString(project.resolve("from-js.txt")));
        assertEquals("r\n", Files.readString(project.resolve("from-r.txt")));
        assertEquals("java", Files.readString(project.resolve("from-java.txt")));

        Path chosen = Files.createDirectories(scratch.resolve("chosen"));
        ReplProcess.Outcome elsewhere = ReplProcess.runIn(project, scratch, "open('here.txt', 'w').write('x')\n",
                Map.of(), "--workdir", chosen.toString());
        assertEquals(0, elsewhere.status(), elsewhere.output());
        assertTrue(Files.exists(chosen.resolve("here.txt")), "--workdir chose the folder");
        assertFalse(Files.exists(project.resolve("here.txt")));
    }
}
