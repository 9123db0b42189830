package dev.agbscript.engine;

import dev.agbscript.session.Language;

/** {@code agb-r}, {@code agb-R}; extensions {@code r}, {@code R}; runs in IRkernel. */
public final class REngineFactory extends AgbScriptEngineFactory {
    public REngineFactory() {
        super(Language.R);
    }
}
