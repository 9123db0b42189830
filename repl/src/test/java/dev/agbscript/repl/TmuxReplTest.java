package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL in a real pseudo-terminal, typed at through tmux as a person would: completion with Tab, a
 * multi-line def with continuation prompts, output streaming while code runs, Ctrl-C stopping an endless
 * loop, the spinner, Ctrl-D leaving; and from a shell in a project folder, piped and interactive.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TmuxReplTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path scratch;
    private final String socket = "agb-repl-test-" + UUID.randomUUID();

    @BeforeEach
    void needsTmux() throws Exception {
        assertEquals(0, exitStatus(List.of("tmux", "-V")), "tmux is not installed (scripts/setup.sh installs it)");
    }

    @AfterEach
    void killServer() throws Exception {
        exitStatus(List.of("tmux", "-L", socket, "kill-server"));
    }

    @Test
    void typedAtLikeAPerson() throws Exception {
        String launch = "cd " + quote(scratch.toString()) + " && " + replCommandLine() + "; echo REPL-EXITED-$?; sleep 30";
        tmux("new-session", "-d", "-x", "120", "-y", "40", launch);
        waitFor("the first prompt", pane -> lastLine(pane).equals("python [1]>"));

        keys("pri", "Tab");
        waitFor("completion of pri", pane -> lastLine(pane).contains("print"));
        keys("C-c"); // at the prompt Ctrl-C clears the line
        waitFor("a fresh prompt", pane -> lastLine(pane).equals("python [1]>"));

        // continuation lines start indented by themselves, as the kernel says
        keys("def add(a, b):", "Enter", "s = a + b", "Enter", "return s", "Enter", "Enter");
        waitFor("the def to be accepted", pane -> lastLine(pane).equals("python [2]>"));
        assertTrue(capture().contains("       ...>     s = a + b"), "continuation prompt: " + capture());

        keys("import time; print('tick', flush=True); time.sleep(60)", "Enter");
        waitFor("output streamed while the code still runs",
                pane -> pane.contains("\ntick\n") && !lastLine(pane).startsWith("python ["));
        keys("C-c");
        waitFor("the sleep to be interrupted", pane -> lastLine(pane).equals("python [3]>"));

        keys("while True: pass", "Enter");
        waitFor("the spinner of a long run", pane -> pane.contains("running") && pane.contains("Ctrl-C interrupts"));
        keys("C-c");
        waitFor("the interrupt", pane -> pane.contains("KeyboardInterrupt") && lastLine(pane).equals("python [4]>"));

        keys("add(40, 2)", "Enter");
        waitFor("the next line to work", pane -> pane.contains("\n42\n"));

        keys("C-d");
        waitFor("the REPL to leave", pane -> pane.contains("REPL-EXITED-"));
        assertTrue(capture().contains("REPL-EXITED-0"), capture());
        assertTrue(Files.readString(scratch.resolve("history")).contains("add(40, 2)"), "history file kept");
    }

    /**
     * A person in a shell, in their project folder: a script piped in (a class with blank lines between its
     * methods), then the REPL: a closing bracket after a space, /open and /save of files in that folder, a data
     * frame sent to R, Up bringing back the language's own last input, Ctrl-C pressed twice.
     */
    @Test
    void inTheUsersFolderFromAShell() throws Exception {
        Path project = Files.createDirectories(scratch.resolve("project"));
        Files.writeString(project.resolve("shapes.py"), """
                class Rectangle:
                    def __init__(self, width, height):
                        self.width = width
                        self.height = height

                # the area, for the report
                    def area(self):
                        return self.width * self.height


                print('area', Rectangle(3, 4).area())
                """);
        Files.writeString(project.resolve("helper.py"), "greeting = 'hi'\n");
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Files.writeString(bin.resolve("agb"), "#!/bin/sh\nexec " + replCommandLine() + " \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("agb"), PosixFilePermissions.fromString("rwxr-xr-x"));
        tmux("new-session", "-d", "-x", "120", "-y", "50", "-c", project.toString(),
                "env PS1='$ ' PATH=" + quote(bin + ":" + System.getenv("PATH")) + " bash --norc --noprofile");
        waitFor("the shell", pane -> lastLine(pane).equals("$"));

        keys("agb < shapes.py", "Enter");
        waitFor("the piped script", pane -> pane.contains("\narea 12\n") && lastLine(pane).equals("$"));
        assertFalse(capture().contains("Error"), capture());

        keys("agb", "Enter");
        waitFor("the first prompt", pane -> lastLine(pane).equals("python [1]>"));
        keys("print(\"Status: [ OK ]\", len(\"{ }\"))", "Enter");
        waitFor("the brackets as typed", pane -> pane.contains("\nStatus: [ OK ] 3\n"));

        keys("/open helper.py", "Enter", "greeting", "Enter");
        waitFor("helper.py read from the project folder", pane -> pane.contains("\n'hi'\n"));
        keys("/save mine.py", "Enter");
        waitFor("the save", pane -> pane.contains("Saved 3 lines to " + project.resolve("mine.py")));
        assertEquals("print(\"Status: [ OK ]\", len(\"{ }\"))\ngreeting = 'hi'\ngreeting\n",
                Files.readString(project.resolve("mine.py")));

        keys("import pandas as pd; df = pd.DataFrame({'city': ['Oslo', 'Lima'], 'temp': [4.5, 19.0]})", "Enter");
        waitFor("the data frame", pane -> lastLine(pane).equals("python [5]>"));
        keys("/send df r", "Enter");
        waitFor("the copy", pane -> pane.contains("Copied df to R (data.frame, 2 rows × 2 columns)."));
        keys("/r", "Enter", "df[df$temp > 10, ]", "Enter");
        waitFor("R's data.frame", pane -> Pattern.compile("\n +city +temp\n2 +Lima +19\n").matcher(pane).find());

        keys("/py", "Enter", "Up");
        waitFor("Up bringing back Python's last input, not R's",
                pane -> lastLine(pane).equals("python [5]> /send df r"));
        keys("C-u");

        keys("import time; time.sleep(60)", "Enter");
        waitFor("the spinner of a long run", pane -> pane.contains("Ctrl-C interrupts"));
        keys("C-c", "C-c"); // pressed twice, as people do
        waitFor("the interrupt", pane -> pane.contains("KeyboardInterrupt") && lastLine(pane).equals("python [6]>"));
        keys("1 + 1", "Enter");
        waitFor("the next answer", pane -> pane.contains("\n2\n") && lastLine(pane).equals("python [7]>"));
        assertEquals(1, capture().split("python \\[6]>", -1).length - 1, "no second prompt: " + capture());
    }

    /**
     * Ctrl-C in each language in turn: only the running code stops (the kernels run in process sessions of their own,
     * so the terminal's SIGINT never reaches them; the REPL interrupts the kernel itself), every kernel keeps its
     * variables, and no log line reaches the screen.
     */
    @Test
    void ctrlCInterruptsOnlyTheRunningCodeInEachLanguage() throws Exception {
        String launch = "cd " + quote(scratch.toString()) + " && " + replCommandLine() + "; echo REPL-EXITED-$?; sleep 30";
        tmux("new-session", "-d", "-x", "120", "-y", "50", launch);
        waitFor("the first prompt", pane -> lastLine(pane).equals("python [1]>"));
        String[][] languages = {
            {"/py", "python", "kept = 'py-state'", "while True: pass", "kept", "'py-state'"},
            {"/js", "javascript", "var kept = 'js-state'", "while (true) {}", "kept", "'js-state'"},
            {"/r", "r", "kept <- 'r-state'", "repeat {}", "kept", "[1] \"r-state\""},
            {"/java", "java", "String kept = \"java-state\"", "while (true) {}", "kept", "\"java-state\""}};
        for (String[] language : languages) {
            keys(language[0], "Enter");
            waitFor(language[1] + "'s prompt", pane -> lastLine(pane).startsWith(language[1] + " ["));
            keys(language[2], "Enter");
            waitFor(language[1] + " to keep a variable", pane -> lastLine(pane).equals(language[1] + " [2]>"));
            keys(language[3], "Enter");
            waitFor(language[1] + "'s endless loop", pane -> lastLine(pane).contains("Ctrl-C interrupts"));
            keys("C-c");
            waitFor(language[1] + " to be interrupted", pane -> lastLine(pane).equals(language[1] + " [3]>"));
        }
        for (String[] language : languages) {
            keys(language[0], "Enter");
            waitFor(language[1] + "'s prompt", pane -> lastLine(pane).startsWith(language[1] + " ["));
            keys(language[4], "Enter");
            waitFor(language[1] + "'s variable, kept", pane -> pane.contains("> kept\n" + language[5] + "\n")
                    && lastLine(pane).startsWith(language[1] + " [4]>"));
        }
        keys("C-d");
        waitFor("the REPL to leave", pane -> pane.contains("REPL-EXITED-"));
        String screen = history();
        assertTrue(screen.contains("REPL-EXITED-0"), screen);
        for (String log : List.of("WARNING", "SEVERE", "INFO:", "restarting")) {
            assertFalse(screen.contains(log), "a log line on the screen: " + screen);
        }
    }

    /** Everything the pane showed, scrolled off or not. */
    private String history() throws Exception {
        return output(List.of("tmux", "-L", socket, "capture-pane", "-p", "-S", "-", "-t", "0"));
    }

    /**
     * The code asks and the person answers (issue 13, item 9): Python's input() after a partial line of output,
     * getpass() showing nothing of what is typed, Ctrl-C at an input prompt interrupting the code; R's readline().
     */
    @Test
    void answersTheCodesQuestions() throws Exception {
        String launch = "cd " + quote(scratch.toString()) + " && " + replCommandLine() + "; echo REPL-EXITED-$?; sleep 30";
        tmux("new-session", "-d", "-x", "120", "-y", "40", launch);
        waitFor("the first prompt", pane -> lastLine(pane).equals("python [1]>"));

        keys("print('Hi.', end=' '); name = input('Your name? '); print('Hello,', name)", "Enter");
        waitFor("the code's question after its own output", pane -> lastLine(pane).equals("Hi. Your name?"));
        keys("Ada Lovelace", "Enter");
        waitFor("the answer used", pane -> pane.contains("\nHi. Your name? Ada Lovelace\nHello, Ada Lovelace\n")
                && lastLine(pane).equals("python [2]>"));

        keys("import getpass; secret = getpass.getpass('Password: '); len(secret)", "Enter");
        waitFor("the password prompt", pane -> lastLine(pane).equals("Password:"));
        keys("hunter2");
        keys("Enter");
        waitFor("the password's length", pane -> pane.contains("\nPassword:\n7\n") && lastLine(pane).equals("python [3]>"));
        assertFalse(capture().contains("hunter2"), "the password was shown: " + capture());

        keys("answer = input('Wait for me: ')", "Enter");
        waitFor("the question", pane -> lastLine(pane).equals("Wait for me:"));
        keys("C-c");
        waitFor("Ctrl-C interrupting the code that waits", pane -> pane.contains("KeyboardInterrupt: Interrupted by user")
                && lastLine(pane).equals("python [4]>"));

        keys("/r", "Enter", "n <- as.integer(readline('How many? ')); n * 2", "Enter");
        waitFor("R's question", pane -> lastLine(pane).equals("How many?"));
        keys("21", "Enter");
        waitFor("R's answer", pane -> pane.contains("\nHow many? 21\n[1] 42\n") && lastLine(pane).equals("r [2]>"));

        keys("/js", "Enter", "const who = await input('Who? ')", "Enter");
        waitFor("JavaScript's question", pane -> lastLine(pane).equals("Who?"));
        keys("Grace", "Enter", "who.length", "Enter");
        waitFor("JavaScript's answer", pane -> pane.contains("\nWho? Grace\n") && pane.contains("\n5\n"));

        keys("/java", "Enter", "System.out.print(\"Age? \"); var age = new Scanner(System.in).nextInt()", "Enter");
        waitFor("Java's question, printed by the snippet", pane -> lastLine(pane).equals("Age?"));
        keys("41", "Enter", "age + 1", "Enter");
        waitFor("Java's answer", pane -> pane.contains("\nAge? 41\n") && pane.contains("\n42\n"));

        keys("C-d");
        waitFor("the REPL to leave", pane -> pane.contains("REPL-EXITED-0"));
    }

    /**
     * Help (issue 13, item 10): IPython's len? and R's ?sum shown from their pager payloads, name? asked of the
     * kernel in JavaScript (a built-in and the session's own function), a second Tab showing a signature.
     */
    @Test
    void showsHelp() throws Exception {
        String launch = "cd " + quote(scratch.toString()) + " && " + replCommandLine() + "; echo REPL-EXITED-$?; sleep 30";
        tmux("new-session", "-d", "-x", "120", "-y", "60", launch);
        waitFor("the first prompt", pane -> lastLine(pane).equals("python [1]>"));

        keys("len?", "Enter");
        waitFor("IPython's help for len", pane -> pane.contains("\nSignature: len(obj, /)\nDocstring: Return the number of"
                + " items in a container.\n"));
        keys("C-l", "divmo", "Tab");
        waitFor("completion of divmo", pane -> lastLine(pane).endsWith("> divmod"));
        keys("Tab");
        waitFor("the second Tab's signature above the line", pane -> pane.lines()
                .anyMatch(line -> line.equals("Signature: divmod(x, y, /)")) && lastLine(pane).endsWith("> divmod"));
        keys("C-u");

        keys("/r", "Enter", "?sum", "Enter");
        // the page is longer than the screen: its end, then the prompt
        waitFor("R's help page", pane -> pane.contains("sum(1:5, NA, na.rm = TRUE)") && lastLine(pane).startsWith("r ["));

        keys("C-l", "/js", "Enter", "Math.max?", "Enter");
        waitFor("the built-in's documentation", pane -> pane.contains("Math.max(...values: number[]): number")
                && pane.contains("Returns the larger of a set of supplied numeric expressions."));
        keys("function area(width, height) { return width * height }", "Enter", "area?", "Enter");
        waitFor("the session's own function", pane -> pane.contains("\nfunction area(width, height)\n"));
        keys("nosuchname?", "Enter");
        waitFor("no help", pane -> pane.contains("No help for nosuchname"));

        keys("C-d");
        waitFor("the REPL to leave", pane -> pane.contains("REPL-EXITED-0"));
    }

    /** The REPL's command line, with its history and log in the scratch folder. */
    private String replCommandLine() {
        return "env AGB_HISTORY_FILE=" + quote(scratch + "/history") + " AGB_LOG_FILE=" + quote(scratch + "/repl.log")
                + " " + ReplProcess.command().stream().map(TmuxReplTest::quote).collect(Collectors.joining(" "));
    }

    private void keys(String... keys) throws Exception {
        List<String> command = new ArrayList<>(List.of("send-keys", "-t", "0"));
        command.addAll(List.of(keys));
        tmux(command.toArray(String[]::new));
    }

    private String capture() throws Exception {
        return output(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "0"));
    }

    /** Polls the pane until the condition holds or the deadline passes. */
    private void waitFor(String what, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String pane = "";
        while (System.nanoTime() < deadline) {
            pane = capture();
            if (condition.test(pane)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100); // poll interval, not synchronization: the loop checks the condition
        }
        throw new AssertionError("Waited " + DEADLINE.toSeconds() + " s for " + what + "; the pane shows:\n" + pane
                + "\nand its history:\n" + history());
    }

    private static String lastLine(String pane) {
        List<String> lines = pane.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private void tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        assertEquals(0, exitStatus(command), "tmux " + String.join(" ", args));
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static int exitStatus(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
