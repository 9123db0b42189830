package dev.agbscript.engine;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * The JSR-223 factory of one language. Engines it creates run their code through the shared
 * {@link SessionManager}; creating one is cheap (nothing starts until the first eval).
 */
public abstract class AgbScriptEngineFactory implements ScriptEngineFactory {
    static final String ENGINE_VERSION = "0.1.0";

    private final Dialect dialect;
    private volatile String observedVersion = "";

    protected AgbScriptEngineFactory(Language language) {
        this.dialect = Dialect.of(language);
    }

    public Language language() {
        return dialect.language();
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String getEngineName() {
        return dialect.names().get(0);
    }

    @Override
    public String getEngineVersion() {
        return ENGINE_VERSION;
    }

    @Override
    public List<String> getExtensions() {
        return dialect.extensions();
    }

    @Override
    public List<String> getMimeTypes() {
        return dialect.mimeTypes();
    }

    @Override
    public List<String> getNames() {
        return dialect.names();
    }

    @Override
    public String getLanguageName() {
        return dialect.language().id();
    }

    /**
     * What the kernel reported, once an engine of this factory has run one (e.g. {@code python 3.11.2
     * (ipython 8.5.0)}); empty before, since nothing starts until the first eval.
     */
    @Override
    public String getLanguageVersion() {
        return observedVersion;
    }

    void observedLanguageVersion(java.util.Optional<String> version) {
        version.ifPresent(v -> observedVersion = v);
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.NAME -> getNames().get(0);
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            // Any thread may call an engine at any time (its evals run one at a time, in order); what one
            // thread's script defines, the others see. That is MULTITHREADED in the spec's terms.
            case "THREADING" -> "MULTITHREADED";
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return dialect.methodCallSyntax(obj, m, args);
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return dialect.outputStatement(toDisplay);
    }

    @Override
    public String getProgram(String... statements) {
        return dialect.program(statements);
    }

    /**
     * An engine on the shared manager, which is created at the engine's first eval: a host's
     * {@code getEngineByName} finds the engine whatever the backend settings say (a {@code ScriptEngineManager}
     * hides a factory that throws, as if the language did not exist), and a setting that names no backend is an
     * error of that first eval, which names it.
     */
    @Override
    public AgbScriptEngine getScriptEngine() {
        return new AgbScriptEngine(this, SessionManager::shared);
    }

    /** An engine on a manager of the caller's (tests, hosts with their own backend). */
    public AgbScriptEngine getScriptEngine(SessionManager manager) {
        return new AgbScriptEngine(this, manager);
    }
}
