package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;

/** {@code text/plain} as it is: the kernel already made it for a terminal. */
final class PlainTextRenderer implements MimeRenderer {
    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.text() != null;
    }

    @Override
    public String render(MimeBundle bundle) {
        return stripNewline(bundle.text());
    }

    static String stripNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
