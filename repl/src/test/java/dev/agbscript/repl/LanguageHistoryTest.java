package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Up and Down keep to the current language; Ctrl-R and the file keep every input with its language. */
class LanguageHistoryTest {
    @TempDir
    Path scratch;
    private final AtomicReference<Language> language = new AtomicReference<>(Language.PYTHON);

    private LanguageHistory history() throws Exception {
        LanguageHistory history = new LanguageHistory(scratch.resolve("state/history"), language::get);
        history.load();
        return history;
    }

    private void enter(History history, Language in, String line) {
        language.set(in);
        history.add(Instant.now(), line);
    }

    /** What Up gives, one press after the other, until there is no more. */
    private static List<String> up(History history) {
        List<String> lines = new ArrayList<>();
        history.moveToEnd();
        while (history.previous()) {
            lines.add(history.current());
        }
        return lines;
    }

    @Test
    void upAndDownKeepToTheCurrentLanguage() throws Exception {
        LanguageHistory history = history();
        enter(history, Language.PYTHON, "x = 1");
        enter(history, Language.PYTHON, "/r");
        enter(history, Language.R, "y <- 2");
        enter(history, Language.R, "/lang python");
        enter(history, Language.PYTHON, "def f():\n    return x");
        enter(history, Language.PYTHON, "/vars");
        enter(history, Language.PYTHON, "/r");
        enter(history, Language.R, "y * 2");

        language.set(Language.PYTHON);
        assertEquals(List.of("/vars", "def f():\n    return x", "x = 1"), up(history), "language switches are not kept");
        assertTrue(history.next());
        assertTrue(history.next());
        assertEquals("/vars", history.current());
        assertTrue(history.next(), "down past the newest input is the line being written");
        assertEquals("", history.current());
        assertFalse(history.next());

        language.set(Language.R);
        assertEquals(List.of("y * 2", "y <- 2"), up(history));
        List<String> all = new ArrayList<>();
        history.iterator(0).forEachRemaining(entry -> all.add(entry.line()));
        assertEquals(5, all.size(), "Ctrl-R searches every language: " + all);
    }

    @Test
    void theFileKeepsTheLanguagesAcrossRunsAndReadsJLinesOwnFormat() throws Exception {
        Files.createDirectories(scratch.resolve("state"));
        Files.writeString(scratch.resolve("state/history"), "1700000000000:print('from an older version')\n");
        LanguageHistory first = history();
        enter(first, Language.JAVASCRIPT, "let s = 'a\\\\b'\ns");
        enter(first, Language.JAVASCRIPT, "let s = 'a\\\\b'\ns"); // the same input twice is kept once
        enter(first, Language.PYTHON, "x = 1");

        LanguageHistory next = history();
        language.set(Language.JAVASCRIPT);
        assertEquals(List.of("let s = 'a\\\\b'\ns", "print('from an older version')"), up(next));
        language.set(Language.PYTHON);
        assertEquals(List.of("x = 1", "print('from an older version')"), up(next));
        assertEquals(3, Files.readAllLines(scratch.resolve("state/history")).size());
    }
}
