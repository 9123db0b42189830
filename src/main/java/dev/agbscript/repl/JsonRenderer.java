package dev.agbscript.repl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import dev.agbscript.session.MimeBundle;

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
            JsonElement element = JsonParser.parseString(json);
            return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
                    .toJson(element);
        } catch (JsonParseException e) {
            return json; // not JSON after all: show it as the kernel sent it
        }
    }
}
