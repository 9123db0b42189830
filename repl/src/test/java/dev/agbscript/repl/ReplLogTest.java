package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log records go to the log file, never to the screen. */
class ReplLogTest {
    @TempDir
    Path scratch;
    private final PrintStream stderr = System.err;

    @AfterEach
    void restore() throws Exception {
        System.setErr(stderr);
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void recordsGoToTheFileAndNotToTheScreen() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        System.setErr(new PrintStream(screen, true, StandardCharsets.UTF_8));
        LogManager.getLogManager().readConfiguration(); // the JDK's console handler, writing to that screen
        Path log = scratch.resolve("state/agb-script/repl.log");

        assertEquals(Optional.empty(), ReplLog.writeTo(log));
        Logger.getLogger("dev.agbscript.local.LocalKernel").warning("The python kernel did not start (attempt 1)");
        Logger.getLogger("dev.agbscript.local.LocalKernel").log(Level.WARNING, "Handler failed", new IllegalStateException("x"));
        Logger.getLogger("dev.agbscript.local.LocalKernel").fine("not kept");

        assertEquals("", screen.toString(StandardCharsets.UTF_8));
        String written = Files.readString(log);
        assertTrue(written.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARNING dev\\.agbscript\\.local\\.LocalKernel:"
                + " The python kernel did not start \\(attempt 1\\)\n.* WARNING .*: Handler failed\n"
                + "java\\.lang\\.IllegalStateException: x\n\tat .*"), written);
        assertTrue(!written.contains("not kept"), written);
    }

    @Test
    void aLogThatCannotBeWrittenIsSaidAndRecordsAreDropped() throws Exception {
        Path notAFolder = Files.writeString(scratch.resolve("file"), "");
        Optional<String> problem = ReplLog.writeTo(notAFolder.resolve("repl.log"));
        assertTrue(problem.isPresent() && problem.get().contains(notAFolder.toString()), problem.toString());
        Logger.getLogger("dev.agbscript").warning("dropped"); // must not throw
    }
}
