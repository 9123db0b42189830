package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL in a real pseudo-terminal, typed at through tmux as a person would: completion with Tab, a
 * multi-line def with continuation prompts, output streaming while code runs, Ctrl-C stopping an endless
 * loop, the spinner, Ctrl-D leaving.
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
        String launch = "cd " + quote(scratch.toString()) + " && env AGB_HISTORY_FILE=" + quote(scratch + "/history")
                + " " + ReplProcess.command().stream().map(TmuxReplTest::quote).collect(Collectors.joining(" "))
                + "; echo REPL-EXITED-$?; sleep 30";
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
        throw new AssertionError("Waited " + DEADLINE.toSeconds() + " s for " + what + "; the pane shows:\n" + pane);
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
