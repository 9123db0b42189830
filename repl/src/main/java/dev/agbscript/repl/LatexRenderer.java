package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;

/** {@code text/latex}: terminals cannot typeset, so the source is shown, dimmed, between its delimiters. */
final class LatexRenderer implements MimeRenderer {
    private final Styles styles;

    LatexRenderer(Styles styles) {
        this.styles = styles;
    }

    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.latex() != null && MimeRenderer.plainIsPlaceholder(bundle);
    }

    @Override
    public String render(MimeBundle bundle) {
        return styles.cyan(PlainTextRenderer.stripNewline(bundle.latex().strip()));
    }
}
