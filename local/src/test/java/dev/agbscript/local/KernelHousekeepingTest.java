package dev.agbscript.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import dev.agbscript.testing.Kernels;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a kernel keeps and prints of its own beyond what the host's code asked for (issue 16, item 6). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KernelHousekeepingTest {
    @TempDir
    Path sessionsDir;

    @Test
    void pythonKeepsNoResultOfAHostsEvalsAndSendsPrintsWithoutIpykernelsDelay() throws Exception {
        try (SessionManager manager = SessionManager.create(new LocalBackend(sessionsDir));
             AgbScriptEngine python = Kernels.factory(Language.PYTHON).getScriptEngine(manager)) {
            StringWriter errors = new StringWriter();
            python.getContext().setErrorWriter(errors);
            for (int i = 0; i < 5; i++) {
                assertEquals(java.util.List.of(0L, (long) i), python.eval("[0, " + i + "]"), "results still come");
            }
            // IPython's output cache would hold each result (Out, _N, _) and, at 1,000, print a warning to stderr.
            assertEquals(0L, python.eval("len(Out)"));
            assertEquals(false, python.eval("any(n in globals() for n in ('_1', '_2', '_3'))"));
            assertEquals("", python.eval("_"), "no last result kept either");
            // ipykernel sends a print 0.2 s after it (its OutStream.flush_interval): live output needs none.
            assertEquals(java.util.List.of(0L, 0L), python.eval("import sys\n"
                    + "[sys.stdout.flush_interval, sys.stderr.flush_interval]"));
            assertEquals("", errors.toString());
        }
    }
}
