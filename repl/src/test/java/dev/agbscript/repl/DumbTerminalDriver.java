package dev.agbscript.repl;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;

/** Runs the interactive REPL on a JLine terminal fed with scripted keystrokes and returns what it printed. */
final class DumbTerminalDriver {
    private DumbTerminalDriver() {}

    /** On JLine's dumb terminal, as when TERM=dumb. */
    static String run(Path scratch, String input) throws Exception {
        return run(scratch, input, Map.of());
    }

    static String run(Path scratch, String input, Map<String, String> extraEnv) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, StandardCharsets.UTF_8)) {
            repl(terminal, scratch, extraEnv).run();
            terminal.writer().flush();
        }
        return output.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    /** On a terminal that claims to be an xterm, so colors are allowed unless the environment forbids them. */
    static String runOnXterm(Path scratch, String input, Map<String, String> extraEnv) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (Terminal terminal = new ExternalTerminal("test", "xterm-256color",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, StandardCharsets.UTF_8)) {
            repl(terminal, scratch, extraEnv).run();
            terminal.writer().flush();
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    /** A REPL as {@code agb} starts it in the scratch folder, with its outputs in {@code scratch/out}. */
    static Repl repl(Terminal terminal, Path scratch, Map<String, String> extraEnv) {
        Map<String, String> env = env(scratch, extraEnv);
        Places places = new Places(scratch, SessionManager.shared().supportsWorkingFolder(),
                OutputFiles.in(scratch.resolve("out")), StateFiles.of(env, System.getProperty("user.home")));
        return new Repl(terminal, Language.PYTHON, env, places);
    }

    private static Map<String, String> env(Path scratch, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put(StateFiles.HISTORY_OVERRIDE, scratch.resolve("history").toString());
        env.put(StateFiles.LOG_OVERRIDE, scratch.resolve("repl.log").toString());
        return env;
    }
}
