package dev.agbscript.engine;

import dev.agbscript.session.Language;

/** {@code agb-python}, {@code agb-py}, {@code agb-python3}; extension {@code py}. */
public final class PythonEngineFactory extends AgbScriptEngineFactory {
    public PythonEngineFactory() {
        super(Language.PYTHON);
    }
}
