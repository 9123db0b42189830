package dev.agbscript.repl;

import dev.agbscript.session.ExecutionError;

/**
 * An error of the code: the remote traceback in red with its last line (the {@code Name: value}) in bold,
 * or just {@code Name: value} when the kernel sent no traceback. A timeout says how to change the limit.
 */
final class ErrorRenderer {
    private final Styles styles;

    ErrorRenderer(Styles styles) {
        this.styles = styles;
    }

    String render(ExecutionError error) {
        if (error.isTimeout()) {
            return styles.boldRed(error.message()) + styles.dim("  (/timeout SECONDS changes the limit)");
        }
        String traceback = error.traceback().strip();
        if (traceback.isEmpty()) {
            return styles.boldRed(error.message());
        }
        String[] lines = traceback.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            boolean last = i == lines.length - 1;
            out.append(last ? styles.boldRed(lines[i]) : styles.red(lines[i]));
            if (!last) out.append('\n');
        }
        return out.toString();
    }
}
