package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Language;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;

/**
 * The REPL's engines, obtained from {@link ScriptEngineManager} by the name {@code agb-<language>} exactly
 * as a host application would, one per language, created on first use. They all share one context, whose
 * {@value AgbScriptEngine#SESSION} attribute puts every language in the same named session.
 */
final class LanguageEngines {
    private final ScriptEngineManager manager = new ScriptEngineManager();
    private final Map<Language, AgbScriptEngine> engines = new EnumMap<>(Language.class);
    private final ScriptContext context;

    LanguageEngines(ScriptContext context) {
        this.context = context;
    }

    /** @throws IllegalStateException with a one-line explanation when no engine for it is installed */
    synchronized AgbScriptEngine engine(Language language) {
        AgbScriptEngine engine = engines.get(language);
        if (engine == null) {
            ScriptEngine found = manager.getEngineByName("agb-" + language.id());
            if (!(found instanceof AgbScriptEngine agb)) {
                throw new IllegalStateException("No engine agb-" + language.id() + " is installed (this build runs "
                        + installed() + ")");
            }
            agb.setContext(context); // completeness, completion and /vars must reach the shared session too
            engines.put(language, agb);
            engine = agb;
        }
        return engine;
    }

    boolean isInstalled(Language language) {
        try {
            engine(language);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    String installed() {
        StringBuilder names = new StringBuilder();
        for (Language language : Language.values()) {
            if (manager.getEngineByName("agb-" + language.id()) != null) {
                names.append(names.length() == 0 ? "" : ", ").append(language.id());
            }
        }
        return names.length() == 0 ? "no language" : names.toString();
    }

    /** The language a file is written in: the one whose engine claims its extension. */
    static Optional<Language> forFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        ScriptEngineManager engines = new ScriptEngineManager();
        String extension = name.substring(dot + 1);
        ScriptEngine engine = engines.getEngineByExtension(extension);
        if (engine == null) {
            engine = engines.getEngineByExtension(extension.toLowerCase(Locale.ROOT));
        }
        return engine instanceof AgbScriptEngine agb ? Optional.of(agb.language()) : Optional.empty();
    }
}
