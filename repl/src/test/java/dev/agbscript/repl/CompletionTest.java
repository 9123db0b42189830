package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Completions;
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
    void javascriptOffersTheUsersNamesAndTheirProperties() {
        workspace.switchTo(Language.JAVASCRIPT);
        assertTrue(workspace.run("let total = 3; const order = {alpha: 1, beta: [1, 2]}; function tally() {}"));
        AgbScriptEngine js = workspace.engine();
        assertTrue(js.complete("tot", 3).matches().contains("total"), js.complete("tot", 3).toString());
        assertTrue(js.complete("x = ta", 6).matches().contains("tally"));
        assertTrue(js.complete("Ma", 2).matches().contains("Math"), "built-ins stay");
        Completions member = js.complete("order.al + 1", 8);
        assertEquals(List.of("alpha"), member.matches());
        assertEquals(6, member.cursorStart());
        assertTrue(js.complete("order.beta.len", 14).matches().contains("length"), "properties of the prototypes");
        assertTrue(js.complete("_agb", 4).matches().isEmpty(), "the prelude's own names are not offered");
        assertTrue(complete("order.be").contains("order.beta"), complete("order.be").toString());
    }

    @Test
    void completesCommandsAndTheirArguments() {
        assertTrue(complete("/ti").contains("/timeout"), complete("/ti").toString());
        assertTrue(complete("/").contains("/js"));
        assertTrue(complete("/lang ").contains("javascript"));
        assertTrue(complete("/help ").contains("vars"));
    }
}
