package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.Language;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The REPL driven through JLine's dumb terminal with scripted input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplTest {
    @Test
    void answersOnePlusOneKeepsStateAndExplainsMistakes() throws Exception {
        String transcript = run("1+1\nx = 20\nx * 2 + 2\n1/0\n/lang cobol\n/nonsense\n/exit\n");
        assertTrue(transcript.contains("python> 2\n"), transcript);
        assertTrue(transcript.contains("42\n"), transcript);
        assertTrue(transcript.contains("ZeroDivisionError: division by zero"), transcript);
        assertTrue(transcript.contains("Unsupported language: cobol"), transcript);
        assertTrue(transcript.contains("Unknown command /nonsense"), transcript);
    }

    private static String run(String input) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, StandardCharsets.UTF_8)) {
            new Repl(terminal, Language.PYTHON).run();
            terminal.writer().flush();
        }
        return output.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
