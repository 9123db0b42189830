package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tab completion: code from the kernel, commands and their arguments from the REPL. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompletionTest {
    private final Workspace workspace = new Workspace(
            new Console(new PrintWriter(new StringWriter()), TerminalCapabilities.PLAIN), Language.PYTHON,
            new Places(Path.of(""), false, OutputFiles.temporary(Map.of()), StateFiles.of(Map.of(), "/nowhere")));
    private final ReplCompleter completer = new ReplCompleter(workspace);

    @AfterEach
    void close() {
        workspace.close();
        SessionManager.shared().close();
    }

    private List<String> complete(String buffer) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, ReplParser.CodeLine.at(buffer, buffer.length()), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void offersPrintForPri() {
        List<String> values = complete("pri");
        assertTrue(values.contains("print"), values.toString());
    }

    @Test
    void completesAttributesAsReplacementsOfTheWordBeforeTheCursor() {
        workspace.run("import os");
        List<String> values = complete("x = os.pa");
        assertTrue(values.contains("os.path"), values.toString());
    }

    @Test
    void completesCommandsAndTheirArguments() {
        assertTrue(complete("/ti").contains("/timeout"), complete("/ti").toString());
        assertTrue(complete("/").contains("/js"));
        assertTrue(complete("/lang ").contains("javascript"));
        assertTrue(complete("/help ").contains("vars"));
    }
}
