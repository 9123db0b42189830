package dev.agbscript.repl;

import java.nio.file.Path;
import java.util.Map;

/**
 * The files the REPL keeps across runs, XDG style, in {@code $XDG_STATE_HOME/agb-script/}, else
 * {@code ~/.local/state/agb-script/}: the line history and the log. {@code AGB_HISTORY_FILE} and
 * {@code AGB_LOG_FILE} override each (tests use them).
 */
record StateFiles(Path history, Path log) {
    static final String HISTORY_OVERRIDE = "AGB_HISTORY_FILE";
    static final String LOG_OVERRIDE = "AGB_LOG_FILE";

    static StateFiles of(Map<String, String> env, String userHome) {
        String state = env.get("XDG_STATE_HOME");
        Path folder = (state != null && !state.isBlank() ? Path.of(state) : Path.of(userHome, ".local", "state"))
                .resolve("agb-script");
        return new StateFiles(file(env, HISTORY_OVERRIDE, folder.resolve("history")),
                file(env, LOG_OVERRIDE, folder.resolve("repl.log")));
    }

    private static Path file(Map<String, String> env, String override, Path otherwise) {
        String path = env.get(override);
        return path != null && !path.isBlank() ? Path.of(path) : otherwise;
    }
}
