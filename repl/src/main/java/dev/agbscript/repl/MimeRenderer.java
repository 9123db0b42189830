package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import java.io.IOException;

/** Turns one kind of output into terminal text; {@link OutputRenderer} picks the renderer per bundle. */
interface MimeRenderer {
    /** Whether this renderer should show the bundle (it has this renderer's type, worth more than its text). */
    boolean accepts(MimeBundle bundle);

    /** The text to print, styles included, ending without a newline. */
    String render(MimeBundle bundle) throws IOException;

    /**
     * True when the bundle's {@code text/plain} is only a placeholder such as
     * {@code <IPython.core.display.Markdown object>}: then a richer type must be shown instead.
     */
    static boolean plainIsPlaceholder(MimeBundle bundle) {
        String text = bundle.text();
        if (text == null || text.isBlank()) {
            return true;
        }
        String t = text.strip();
        return !t.contains("\n") && t.startsWith("<") && t.endsWith(">") && t.contains(" object");
    }
}
