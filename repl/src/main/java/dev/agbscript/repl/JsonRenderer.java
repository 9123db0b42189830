package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.ValueJson;

/** {@code application/json}, pretty-printed with two-space indentation. */
final class JsonRenderer implements MimeRenderer {
    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.json() != null && MimeRenderer.plainIsPlaceholder(bundle);
    }

    @Override
    public String render(MimeBundle bundle) {
        return pretty(bundle.json());
    }

    static String pretty(String json) {
        try {
            return ValueJson.writeIndented(ValueJson.parse(json));
        } catch (IllegalArgumentException e) {
            return json; // not JSON after all: show it as the kernel sent it
        }
    }
}
