package dev.agbscript.repl;

import java.util.Locale;
import java.util.Map;

/**
 * What the terminal can show, decided once from the environment: colors (not on dumb terminals, not when
 * {@code NO_COLOR} is set, not when output is no terminal) and the inline image protocol.
 *
 * @param interactive a person at a terminal: prompts, spinner
 * @param width       columns, for wrapping rules and separators
 */
record TerminalCapabilities(boolean color, ImageProtocol images, boolean interactive, int width) {
    /** How images can be shown inline; {@link #NONE} writes them to files. */
    enum ImageProtocol { KITTY, ITERM2, SIXEL, NONE }

    static final TerminalCapabilities PLAIN = new TerminalCapabilities(false, ImageProtocol.NONE, false, 80);

    /**
     * @param terminalType JLine's terminal type ({@code dumb} for a dumb terminal)
     * @param isTerminal   whether output goes to a real terminal
     */
    static TerminalCapabilities detect(Map<String, String> env, String terminalType, boolean isTerminal, int width) {
        String type = terminalType == null ? "" : terminalType.toLowerCase(Locale.ROOT);
        boolean dumb = !isTerminal || type.isEmpty() || type.startsWith("dumb");
        String noColor = env.get("NO_COLOR");
        boolean color = !dumb && (noColor == null || noColor.isEmpty());
        return new TerminalCapabilities(color, dumb ? ImageProtocol.NONE : imageProtocol(env, type), isTerminal && !dumb,
                width > 0 ? width : 80);
    }

    static ImageProtocol imageProtocol(Map<String, String> env, String terminalType) {
        String term = env.getOrDefault("TERM", terminalType).toLowerCase(Locale.ROOT);
        String program = env.getOrDefault("TERM_PROGRAM", "");
        if (env.containsKey("TMUX") || term.startsWith("screen") || term.startsWith("tmux")) {
            return ImageProtocol.NONE; // multiplexers swallow or garble image escapes
        }
        if (env.containsKey("KITTY_WINDOW_ID") || term.contains("kitty") || program.equalsIgnoreCase("ghostty")) {
            return ImageProtocol.KITTY;
        }
        if (program.equals("iTerm.app") || program.equals("WezTerm") || "iTerm2".equals(env.get("LC_TERMINAL"))) {
            return ImageProtocol.ITERM2;
        }
        if (term.contains("sixel") || term.startsWith("mlterm") || term.startsWith("foot") || term.startsWith("yaft")
                || "1".equals(env.get("AGB_SIXEL"))) {
            return ImageProtocol.SIXEL;
        }
        return ImageProtocol.NONE;
    }
}
