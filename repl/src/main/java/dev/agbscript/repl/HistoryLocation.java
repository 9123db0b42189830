package dev.agbscript.repl;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the persistent line history lives, XDG style: {@code $XDG_STATE_HOME/agb-script/history}, else
 * {@code ~/.local/state/agb-script/history}. {@code AGB_HISTORY_FILE} overrides both (tests use it).
 */
final class HistoryLocation {
    static final String OVERRIDE = "AGB_HISTORY_FILE";

    private HistoryLocation() {}

    static Path resolve(Map<String, String> env, String userHome) {
        String override = env.get(OVERRIDE);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(userHome, ".local", "state");
        return base.resolve("agb-script").resolve("history");
    }
}
