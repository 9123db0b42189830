package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import java.io.IOException;
import java.util.List;

/**
 * Chooses how each output is shown: images and charts always as such; Markdown, JSON, HTML and LaTeX when
 * the bundle's plain text is only a placeholder; otherwise the plain text, which the kernel made for
 * terminals (a pandas table, a repr).
 */
final class OutputRenderer {
    private final List<MimeRenderer> renderers;

    OutputRenderer(Styles styles, OutputFiles files, TerminalCapabilities capabilities) {
        this.renderers = List.of(
                new ImageRenderer(styles, files, capabilities.images()),
                new ChartRenderer(styles, files),
                new MarkdownRenderer(styles, capabilities.width()),
                new JsonRenderer(),
                new HtmlRenderer(styles, files),
                new LatexRenderer(styles),
                new PlainTextRenderer());
    }

    /**
     * The bundle as terminal text, or empty when it has nothing to show.
     *
     * @throws IOException when the output could not be written to its file
     */
    String render(MimeBundle bundle) throws IOException {
        for (MimeRenderer renderer : renderers) {
            if (renderer.accepts(bundle)) {
                return renderer.render(bundle);
            }
        }
        return bundle.data().isEmpty() ? "" : "[output of type " + String.join(", ", bundle.data().keySet()) + "]";
    }
}
