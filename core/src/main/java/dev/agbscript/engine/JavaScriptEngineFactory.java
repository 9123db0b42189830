package dev.agbscript.engine;

import dev.agbscript.session.Language;

/**
 * {@code agb-javascript}, {@code agb-js}, {@code agb-node}, {@code agb-nodejs}; extensions {@code js},
 * {@code mjs}; runs on Node.js in tslab's kernel.
 */
public final class JavaScriptEngineFactory extends AgbScriptEngineFactory {
    public JavaScriptEngineFactory() {
        super(Language.JAVASCRIPT);
    }
}
