package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REPL without a person, as a separate process: {@code agb FILE}, {@code agb -e CODE}, piped input. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScriptModeTest {
    @TempDir
    Path scratch;

    @Test
    void fileRunsAndExitsNonZeroOnAnError() throws Exception {
        Path good = Files.writeString(scratch.resolve("good.py"), "total = sum(range(5))\nprint('total', total)\n");
        ReplProcess.Outcome ok = ReplProcess.run(scratch, "", Map.of(), good.toString());
        assertEquals(0, ok.status(), ok.output());
        assertTrue(ok.output().contains("total 10"), ok.output());

        Path bad = Files.writeString(scratch.resolve("bad.py"), "print('before')\nraise ValueError('broken')\n");
        ReplProcess.Outcome failed = ReplProcess.run(scratch, "", Map.of(), bad.toString());
        assertEquals(1, failed.status(), failed.output());
        assertTrue(failed.output().contains("before"), failed.output());
        assertTrue(failed.output().contains("ValueError: broken"), failed.output());
    }

    @Test
    void evaluatesAndPrintsWithDashE() throws Exception {
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, "", Map.of(), "-e", "print('out'); 6 * 7");
        assertEquals(0, outcome.status(), outcome.output());
        assertEquals("out\n42\n", outcome.output());
        ReplProcess.Outcome error = ReplProcess.run(scratch, "", Map.of(), "-e", "1/0");
        assertEquals(1, error.status(), error.output());
    }

    @Test
    void aScriptsInputIsTheStandardInputUnlessTheSnippetsComeFromIt() throws Exception {
        Path asks = Files.writeString(scratch.resolve("asks.py"), "name = input('Name? ')\nprint('hello', name)\n");
        ReplProcess.Outcome file = ReplProcess.run(scratch, "Ada\n", Map.of(), asks.toString());
        assertEquals(0, file.status(), file.output());
        assertEquals("Name? hello Ada\n", file.output());

        ReplProcess.Outcome piped = ReplProcess.run(scratch, "name = input('Name? ')\n", Map.of());
        assertEquals(1, piped.status(), piped.output());
        assertTrue(piped.output().contains("StdinNotImplementedError") && piped.output().contains("the snippets come"
                + " from standard input, so the code cannot read it: run the script as agb FILE"), piped.output());
    }

    @Test
    void pipedInputRunsLineByLineWithoutPrompts() throws Exception {
        String input = "x = 2\ndef f(a):\n    return a * 21\nprint(f(x))\nfor i in range(2):\n    print('i', i)\n"
                + "if x > 5:\n    print('big')\nelse:\n    print('small')\n/vars\nx + 1\n";
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, input, Map.of());
        assertEquals(0, outcome.status(), outcome.output());
        assertEquals("42\ni 0\ni 1\nsmall\n  i  int  1\n  x  int  2\n3\n", outcome.output());
        assertFalse(outcome.output().contains("python ["), "no prompts");
    }

    @Test
    void blankLinesAndCommentsInsideAPipedPythonBlockDoNotEndIt() throws Exception {
        String input = "class A:\n    def __init__(self):\n        self.n = 1\n\n# a comment at column 0\n"
                + "    def get(self):\n        return self.n\n\n\nprint(A().get())\n";
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, input, Map.of());
        assertEquals(0, outcome.status(), outcome.output());
        assertEquals("1\n", outcome.output());
    }

    @Test
    void richOutputsAreSavedToFilesWhosePathsArePrinted() throws Exception {
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, "", Map.of(), "-e", "import matplotlib.pyplot as plt\n"
                + "from IPython.display import HTML, display\n"
                + "plt.plot([1, 2, 3]); plt.show()\n"
                + "display(HTML('<b>Report</b><ul><li>one</li></ul>'))");
        assertEquals(0, outcome.status(), outcome.output());
        Matcher image = Pattern.compile("\\[PNG image \\d+x\\d+ saved to (\\S+)]").matcher(outcome.output());
        assertTrue(image.find(), outcome.output());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                Arrays.copyOf(Files.readAllBytes(Path.of(image.group(1))), 4));
        assertTrue(Path.of(image.group(1)).startsWith(scratch), "under $TMPDIR: " + image.group(1));
        Matcher html = Pattern.compile("Report\n• one\n\\[full HTML saved to (\\S+)]").matcher(outcome.output());
        assertTrue(html.find(), outcome.output());
        assertTrue(Files.readString(Path.of(html.group(1))).contains("<li>one</li>"), html.group(1));
    }

    @Test
    void anOutputThatCannotBeSavedFailsTheRunWithOneLine() throws Exception {
        Path missing = scratch.resolve("no-such-folder");
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, "import matplotlib.pyplot as plt\n"
                + "plt.plot([1, 2, 3]); plt.show()\nprint('went on')\n", Map.of("TMPDIR", missing.toString()));
        assertEquals(1, outcome.status(), outcome.output());
        assertTrue(outcome.output().startsWith("Cannot show the text/plain, image/png output: " + missing), outcome.output());
        assertTrue(outcome.output().endsWith("went on\n"), outcome.output());
        assertFalse(outcome.output().contains("Exception"), outcome.output());
    }

    @Test
    void badCommandLineIsExplained() throws Exception {
        ReplProcess.Outcome outcome = ReplProcess.run(scratch, "", Map.of(), "--frobnicate");
        assertEquals(2, outcome.status());
        assertEquals("Unknown option --frobnicate (try --help)\n", outcome.output());
    }
}
