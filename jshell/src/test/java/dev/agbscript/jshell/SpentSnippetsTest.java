package dev.agbscript.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JShell's memory of a session holds its active declarations only, however many cells ran, and what was declared
 * keeps working once the rest is forgotten. Runs JShell with a real agent JVM, in this JVM (surefire opens JShell's
 * and javac's packages as the kernel's launch does).
 */
class SpentSnippetsTest {
    private JShellFactory.Agent agent;
    private JShell shell;
    private CellRunner runner;

    @BeforeEach
    void startShell() {
        agent = JShellFactory.create(OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream());
        shell = agent.shell();
        runner = new CellRunner(shell, new AtomicReference<>());
    }

    @AfterEach
    void stopShell() {
        shell.close();
    }

    @Test
    void keepsOnlyWhatLaterSnippetsCanUse() {
        run("int x = 1;");
        run("int square(int n) { return n * n; }");
        run("class Box { class Inner { int v = 7; } }");
        run("import java.time.Duration;");
        Set<String> declared = runner.compiledClassNames();
        assertTrue(declared.stream().anyMatch(name -> name.endsWith("$Box$Inner")), declared::toString);
        long snippets = shell.snippets().count();

        for (int i = 0; i < 2 * SpentSnippets.SYMBOL_SWEEP_INTERVAL; i++) {
            assertEquals(String.valueOf(i + 1), run("x + " + i));     // an expression: its $N is dropped
            run("System.out.print(x);");                              // a statement naming x
            assertTrue(runner.run("x +").failed());                   // a rejected snippet
        }
        run("int x = 2;"); // replaces the first x (JShell names the class after the name: the same one)
        assertEquals(declared, runner.compiledClassNames(), "expressions and statements leave no classes behind");
        assertEquals(snippets, shell.snippets().count(), () -> "JShell lists " + shell.snippets().toList());

        run("int z = 5;");
        assertEquals(declared.size() + 1, runner.compiledClassNames().size());
        run("/drop z");
        assertEquals(declared, runner.compiledClassNames(), "a dropped declaration's class is gone");
        assertEquals("6", run("int z = 6; z"));

        assertEquals("4", run("square(x)"));
        assertEquals("7", run("new Box().new Inner().v"));
        assertEquals("PT1S", run("Duration.ofSeconds(1)"));
        run("String x = \"a string now\";"); // a new type: JShell recompiles what depends on x
        assertEquals("12", run("x.length()"));
    }

    @Test
    void aMethodWaitingForADeclarationStillGetsIt() {
        run("int twice() { return 2 * later; }"); // recoverable: active, though it cannot run yet
        for (int i = 0; i < 5; i++) {
            run("1 + " + i);
        }
        assertTrue(runner.run("twice()").failed());
        run("int later = 21;");
        assertEquals("42", run("twice()"));
    }

    private String run(String code) {
        CellOutcome outcome = runner.run(code);
        assertFalse(outcome.failed(), () -> code + " failed: " + outcome);
        return outcome.valueText();
    }
}
