package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
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
        assertTrue(transcript.contains("  log             " + scratch.resolve("repl.log") + "\n"), transcript);
        assertTrue(transcript.contains("  history         " + scratch.resolve("history") + "\n"), transcript);
        assertTrue(transcript.contains("  working folder  " + scratch), transcript);
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
        assertTrue(transcript.contains("  n  int  1\n"), "/vars shows the value after the re-runs: " + transcript);
        assertTrue(transcript.contains("   3 python     /!\n"), transcript);
        assertTrue(transcript.contains("There is no snippet /-9 (there are 4)."), transcript);
    }

    @Test
    void varsShowsTypesAndSendCopiesValuesAndDataFramesAcrossLanguages() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch, """
                import pandas as pd
                df = pd.DataFrame({'city': ['Oslo', 'Lima'], 'temp': [4.5, 19.0]})
                n = 3
                s = {1, 2}
                /vars
                /send df r
                /send n as count to js
                /send s r
                /send pd r
                /send nothing r
                /send df java
                /r
                df$temp * 2
                df$hot <- df$temp > 10
                /vars
                /send df as back to python
                /js
                count + 1
                /java
                df.get(1).get("city")
                /py
                back
                /exit
                """);
        assertTrue(transcript.contains("  df  DataFrame  2 rows × 2 columns: city, temp\n"
                + "  n   int        3\n"
                + "  s   set        {1, 2}\n"), transcript);
        assertTrue(transcript.contains("Copied df to R (data.frame, 2 rows × 2 columns).\n"), transcript);
        assertTrue(transcript.contains("Copied n to JavaScript as count (number).\n"), transcript);
        assertTrue(transcript.contains("s (set) cannot cross: only null, booleans, numbers, strings, lists and maps"),
                transcript);
        assertTrue(transcript.contains("pd (module) cannot cross"), transcript);
        assertTrue(transcript.contains("No variable nothing in Python (/vars lists them)"), transcript);
        assertTrue(transcript.contains("Copied df to Java.\n"), transcript);
        assertTrue(transcript.contains("r [1]> [1]  9 38\n"), transcript);
        assertTrue(transcript.contains("  df  data.frame  2 rows × 3 columns: city, temp, hot\n"), transcript);
        assertTrue(transcript.contains("Copied df to Python as back (DataFrame, 2 rows × 3 columns).\n"), transcript);
        assertTrue(transcript.contains("javascript [1]> 4\n"), transcript);
        assertTrue(transcript.contains("java [1]> \"Lima\"\n"), transcript);
        assertTrue(transcript.contains("   city  temp    hot\n0  Oslo   4.5  False\n1  Lima  19.0   True\n"), transcript);
    }

    @Test
    void ctrlCOnAnEmptyPromptLeavesNoSecondPrompt() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream(); // its methods are synchronized
        String erase = "\u001b[A\r\u001b[K"; // an xterm's cursor up, carriage return, clear to the end of the line
        try (Terminal terminal = new ExternalTerminal("test", "xterm-256color", new PipedInputStream(keys), screen,
                StandardCharsets.UTF_8)) {
            Thread repl = new Thread(() -> DumbTerminalDriver.repl(terminal, scratch, Map.of()).run());
            repl.start();
            awaitScreen(screen, "the first prompt", s -> s.contains("python [1]"));
            terminal.raise(Terminal.Signal.INT);
            awaitScreen(screen, "the interrupted prompt's line erased", s -> s.contains(erase));
            keys.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            repl.join(TimeUnit.SECONDS.toMillis(60));
        }
        String after = withoutColors(screen.toString(StandardCharsets.UTF_8));
        after = after.substring(after.indexOf(erase) + erase.length());
        assertTrue(after.contains("python [1]"), "the prompt, drawn again on the erased line: " + after);
    }

    private static String withoutColors(String screen) {
        return screen.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    private static void awaitScreen(ByteArrayOutputStream screen, String what, Predicate<String> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.test(withoutColors(screen.toString(StandardCharsets.UTF_8)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited for " + what + "; the screen shows: " + screen);
            }
            TimeUnit.MILLISECONDS.sleep(20); // poll interval, not synchronization: the loop checks the screen
        }
    }

    @Test
    void afterTheKernelDiedNumberingAndListStartAgain() throws Exception {
        String transcript = DumbTerminalDriver.run(scratch, "import os\nos._exit(1)\n1+1\n/list\n/exit\n");
        assertTrue(transcript.contains("KernelDiedError"), transcript);
        assertTrue(transcript.contains("python [1]> 2\n"), "a new kernel, numbered from 1: " + transcript);
        assertTrue(transcript.contains("python [2]>    1 1+1\npython [2]>"), "/list holds the new kernel's: " + transcript);
    }

    @Test
    void anInterruptedRSnippetSaysSo() throws Exception {
        StringWriter out = new StringWriter();
        Workspace workspace = new Workspace(new Console(new PrintWriter(out, true), TerminalCapabilities.PLAIN),
                Language.R, new Places(scratch, false, OutputFiles.in(scratch), StateFiles.of(Map.of(), scratch.toString())));
        try {
            CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(
                    () -> workspace.run("cat('started\\n'); Sys.sleep(60)"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString().contains("started") && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20); // poll interval, not synchronization: the loop checks the output
            }
            assertTrue(workspace.interrupt(), out.toString());
            assertFalse(run.get(30, TimeUnit.SECONDS), "an interrupted run failed");
            assertTrue(out.toString().endsWith("started\nInterrupted: the R code was interrupted\n"), out.toString());
            assertEquals(2, workspace.snippets().nextNumber(Language.R), "the kernel and its numbering go on");
        } finally {
            workspace.close();
        }
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
