package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The interactive REPL driven through JLine's dumb terminal with scripted input, against real kernels. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplTest {
    @TempDir
    Path scratch;

    @AfterEach
    void deleteSessions() {
        SessionManager.shared().close(); // the next test starts with fresh kernels, as a new REPL would
    }

    @Test
    void answersKeepsStateAndExplainsMistakes() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "1+1\nx = 20\nx * 2 + 2\n1/0\n/lang cobol\n/nonsense\n/timeout soon\n/exit\n");
        assertTrue(transcript.contains("python [1]> 2\n"), transcript);
        assertTrue(transcript.contains("python [3]> 42\n"), transcript);
        assertTrue(transcript.contains("ZeroDivisionError: division by zero"), transcript);
        assertTrue(transcript.contains("Unsupported language: cobol"), transcript);
        assertTrue(transcript.contains("Unknown command /nonsense; /help lists the commands."), transcript);
        assertTrue(transcript.contains("/timeout needs a positive number of seconds"), transcript);
    }

    @Test
    void bannerSaysVersionBackendAndHelp() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch, "/exit\n");
        String banner = transcript.lines().findFirst().orElse("");
        assertTrue(banner.startsWith("agb-script "), banner);
        assertTrue(banner.contains(SessionManager.shared().backendName() + " backend"), banner);
        assertTrue(banner.contains("/help"), banner);
    }

    @Test
    void acceptsAMultiLinePythonDef() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "def twice(x):\ny = x * 2\nreturn y\n\ntwice(21)\n/exit\n");
        // the dumb terminal echoes neither input nor continuation prompts: the numbering shows the def was one snippet
        assertTrue(transcript.contains("python [2]> 42\n"), transcript);
        assertFalse(transcript.contains("Error"), transcript);
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch, "/help\n/help timeout\n/help nothing\n/exit\n");
        for (Command command : Command.values()) {
            assertTrue(transcript.contains("  " + command.usage()), command + " missing from /help: " + transcript);
        }
        assertTrue(transcript.contains("Ctrl-R"), transcript);
        assertTrue(transcript.contains(Command.TIMEOUT.help().lines().findFirst().get()), transcript);
        assertTrue(transcript.contains("No command nothing"), transcript);
    }

    @Test
    void plotEndsUpAsAnImageFileWhosePathIsPrinted() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "import matplotlib.pyplot as plt; plt.plot([1,2,3]); plt.show()\n/exit\n");
        Matcher saved = Pattern.compile("\\[PNG image \\d+x\\d+ saved to (\\S+)]").matcher(transcript);
        assertTrue(saved.find(), transcript);
        Path image = Path.of(saved.group(1));
        assertTrue(image.startsWith(scratch), image.toString());
        byte[] magic = Arrays.copyOf(Files.readAllBytes(image), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
        assertFalse(transcript.contains("\u001b"), "no escape codes on a dumb terminal: " + transcript);
    }

    @Test
    void saveThenOpenReplaysTheSnippets() throws Exception {
        Path file = scratch.resolve("snippets.py");
        String transcript = DumbTerminalDriver.run(scratch, "a = 5\nbogus_name\nb = a + 1\n/save " + file
                + "\n/reset\nb\n/open " + file + "\nb * 7\n/exit\n");
        assertEquals("a = 5\nb = a + 1\n", Files.readString(file), "only what ran without error is saved");
        assertTrue(transcript.contains("NameError: name 'b' is not defined"), "reset forgets b: " + transcript);
        assertTrue(transcript.contains("> 42\n"), "open brings b back: " + transcript);
    }

    @Test
    void listHistoryVarsAndRerun() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "n = 1\nn = n + 10\n/!\n/-3\n/list\n/vars\n/history\n/-9\n/exit\n");
        assertTrue(transcript.contains("   1 n = 1\n"), transcript);
        assertTrue(transcript.contains("   4 n = 1\n"), "/-3 re-ran the first snippet: " + transcript);
        assertTrue(transcript.contains("  n = 1\n"), "/vars shows the value after the re-runs: " + transcript);
        assertTrue(transcript.contains("   3 python     /!\n"), transcript);
        assertTrue(transcript.contains("There is no snippet /-9 (there are 4)."), transcript);
    }

    @Test
    void sessionAndTimeout() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "/session\n/timeout 1.5\nimport time\ntime.sleep(20)\n'after'\n/session\n/exit\n");
        assertTrue(transcript.contains("Kernels:  none running"), "kernels start on first use: " + transcript);
        assertTrue(transcript.contains("Time limit: 1.5 s"), transcript);
        assertTrue(transcript.contains("TimeoutError"), transcript);
        assertTrue(transcript.contains("'after'"), transcript);
        assertTrue(transcript.contains("Kernels:  python"), transcript);
        assertTrue(Pattern.compile("Manager:  sessions \\d+, kernels \\d+/\\d+ \\(python \\d+.*, evals \\d+ \\(p50 ")
                .matcher(transcript).find(), "the session manager's numbers, a Python kernel among them: " + transcript);
    }

    @Test
    void noColorGivesNoColorCodesWhereColorsWouldBe() throws Exception {
        String input = "1/0\n/nonsense\n/exit\n";
        Pattern sgr = Pattern.compile("\u001b\\[[0-9;]*m");
        String colored = DumbTerminalDriver.runOnXterm(scratch, input, Map.of());
        assertTrue(sgr.matcher(colored).find(), "an xterm gets colors: " + colored);
        SessionManager.shared().close();
        String plain = DumbTerminalDriver.runOnXterm(scratch, input, Map.of("NO_COLOR", "1"));
        assertTrue(plain.contains("ZeroDivisionError"), plain);
        assertFalse(sgr.matcher(plain).find(), "NO_COLOR: " + plain);
    }

    @Test
    void switchingLanguagesKeepsEachLanguagesState() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "x = 41\n/js\nvar y = 'js kept'\n/lang py\nx + 1\n/lang javascript\ny\n/exit\n");
        assertTrue(transcript.contains("python [2]> 42\n"), transcript);
        assertTrue(transcript.contains("javascript [2]> 'js kept'"), transcript); // Node shows strings quoted
    }

    @Test
    void acceptsAMultiLineRFunction() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch,
                "/r\ntwice <- function(x) {\ny <- x * 2\ny\n}\ntwice(21)\n/exit\n");
        assertTrue(transcript.contains("r [2]> [1] 42"), transcript);
    }
}
