package dev.agbscript.engine;

import dev.agbscript.session.Language;

/**
 * {@code agb-java}, {@code agb-jshell}; extensions {@code java}, {@code jsh}: Java snippets in JShell, run by
 * the agb-jshell kernel of the session.
 */
public final class JavaEngineFactory extends AgbScriptEngineFactory {
    public JavaEngineFactory() {
        super(Language.JAVA);
    }
}
