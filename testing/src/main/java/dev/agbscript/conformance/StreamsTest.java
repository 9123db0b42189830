package dev.agbscript.conformance;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.SessionManager;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * stdout and stderr of the code and of the child processes it starts reach the context's writers, in order.
 * The rule per language (docs/kernels.md): Python captures the children's file descriptors, forwarded by a
 * thread, so a child's output may come after later prints of the same cell; JavaScript
 * captures what goes through process.stdout/stderr (execSync's piped output, its stderr by default); R's
 * system() and system2() print the child's output, stderr merged into stdout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamsTest {
    /** Code printing "before", a child's "child" and "after" to stdout, then "oops" to stderr in the language's way. */
    record Case(String language, String code, String expectedOut, String expectedErr, boolean childInOrder) {
        @Override
        public String toString() {
            return language;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("python", "import subprocess, sys\nprint('before', flush=True)\n"
                        + "subprocess.run(['echo', 'child'])\nprint('after', flush=True)\n"
                        + "print('oops', file=sys.stderr)", "before\nchild\nafter\n", "oops\n", false),
                new Case("javascript", "const { execSync } = require('child_process')\nconsole.log('before')\n"
                        + "process.stdout.write(execSync('echo child'))\nconsole.log('after')\n"
                        + "execSync('echo oops 1>&2')", "before\nchild\nafter\n", "oops\n", true),
                new Case("r", "cat('before\\n')\nsystem('echo child')\ncat('after\\n')\nmessage('oops')",
                        "before\nchild\nafter\n", "oops\n", true),
                new Case("java", "System.out.println(\"before\");\n"
                        // The agent JVM's own descriptors are not captured (docs/kernels.md): read the child.
                        + "System.out.print(new String(new ProcessBuilder(\"echo\", \"child\").start()"
                        + ".getInputStream().readAllBytes()));\n"
                        + "System.out.println(\"after\");\nSystem.err.println(\"oops\");",
                        "before\nchild\nafter\n", "oops\n", true));
    }

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;

    @BeforeAll
    void startManager() {
        manager = kernels.manager();
    }


    @ParameterizedTest
    @MethodSource("cases")
    void childProcessOutputArrivesInOrder(Case c) throws ScriptException {
        ScriptEngine found = new ScriptEngineManager().getEngineByName("agb-" + c.language());
        org.junit.jupiter.api.Assertions.assertNotNull(found, c.language() + " has no engine registered");
        AgbScriptEngine engine = ((AgbScriptEngine) found).getFactory().getScriptEngine(manager);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(out);
        context.setErrorWriter(err);
        engine.eval(c.code(), context);
        if (c.childInOrder()) {
            assertEquals(c.expectedOut(), out.toString());
        } else {
            // all of it, the kernel's own prints in order, the child's lines somewhere after what came before it
            String seen = out.toString();
            assertEquals(c.expectedOut().length(), seen.length(), seen);
            assertTrue(seen.startsWith("before\n"), seen);
            assertEquals("before\nafter\n", seen.replace("child\n", ""), seen);
        }
        // R's message() ends its text with an extra newline in IRkernel
        assertEquals(c.expectedErr(), err.toString().replaceAll("\n+$", "\n"));
    }
}
