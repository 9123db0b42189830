package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import java.time.Duration;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;

/**
 * The state every way of using the REPL shares (interactive, piped, file, {@code -e}): the current
 * language, the engines, the snippets entered, the time limit; and the one way code is run: output streamed,
 * a spinner while it takes long, then its results rendered.
 */
final class Workspace {
    /** All languages of the REPL share this named session. */
    static final String SESSION_NAME = "repl";

    private final Console console;
    private final ScriptContext context = new SimpleScriptContext();
    private final LanguageEngines engines = new LanguageEngines(context);
    private final Snippets snippets = new Snippets();
    private final OutputRenderer renderer;
    private final ErrorRenderer errors;
    private final ProgressIndicator progress;
    private Language language;
    private Duration timeout = ExecutionRequest.DEFAULT_TIMEOUT;
    private volatile AgbScriptEngine running;

    Workspace(Console console, Language language, OutputFiles files) {
        this.console = console;
        this.language = language;
        this.renderer = new OutputRenderer(console.styles(), files, console.capabilities());
        this.errors = new ErrorRenderer(console.styles());
        this.progress = new ProgressIndicator(console);
        context.setWriter(console.stream(false));
        context.setErrorWriter(console.stream(true));
        context.setAttribute(AgbScriptEngine.SESSION, SESSION_NAME, ScriptContext.ENGINE_SCOPE);
        // The languages' variables live in the session (/vars, completion), not in a scope of this context's own.
        context.setAttribute(AgbScriptEngine.SCOPE, AgbScriptEngine.SESSION_SCOPE, ScriptContext.ENGINE_SCOPE);
        context.setAttribute(AgbScriptEngine.TIMEOUT, timeout, ScriptContext.ENGINE_SCOPE);
    }

    Console console() { return console; }
    Snippets snippets() { return snippets; }
    LanguageEngines engines() { return engines; }
    Language language() { return language; }
    Duration timeout() { return timeout; }

    /** The current language's engine. @throws IllegalStateException when it is not installed */
    AgbScriptEngine engine() {
        return engines.engine(language);
    }

    /** The current engine, or null when the current language has none installed. */
    AgbScriptEngine engineOrNull() {
        return engines.isInstalled(language) ? engines.engine(language) : null;
    }

    /** @throws IllegalStateException when that language has no engine installed; nothing changes then */
    void switchTo(Language target) {
        engines.engine(target);
        language = target;
    }

    void timeout(Duration limit) {
        timeout = limit;
        context.setAttribute(AgbScriptEngine.TIMEOUT, limit, ScriptContext.ENGINE_SCOPE);
    }

    /** Interrupts the code running now, if any (Ctrl-C). */
    boolean interrupt() {
        AgbScriptEngine current = running;
        return current != null && current.interrupt();
    }

    /** Runs code in the current language; see {@link #run(Language, String, String)}. */
    boolean run(String code) {
        return run(language, code, "<repl>");
    }

    /**
     * Runs the code in that language and shows what it produced. Never throws for a failure of the code.
     *
     * @return true when it ran without error
     */
    boolean run(Language target, String code, String fileName) {
        AgbScriptEngine engine;
        try {
            engine = engines.engine(target);
        } catch (IllegalStateException e) {
            console.println(console.styles().red(e.getMessage()));
            return false;
        }
        boolean starting = !engine.isKernelRunning();
        ExecutionResult result = null;
        ExecutionError error = null;
        context.setAttribute(ScriptEngine.FILENAME, fileName, ScriptContext.ENGINE_SCOPE);
        running = engine;
        // Ctrl-C cannot stop a kernel that is still starting, so only a run offers it
        try (AutoCloseable spinner = starting
                ? progress.show("starting the " + target.displayName() + " kernel", "", true)
                : progress.show("running", " (Ctrl-C interrupts)", false)) {
            result = engine.execute(code, context);
        } catch (AgbScriptException e) {
            result = e.result();
            error = e.error();
        } catch (ScriptException e) {
            error = new ExecutionError("Error", e.getMessage(), "");
        } catch (Exception e) {
            error = new ExecutionError(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), "");
        } finally {
            running = null;
        }
        snippets.recordCode(target, code, error == null);
        console.freshLine();
        if (result != null) {
            for (MimeBundle bundle : result.results()) {
                String shown = renderer.render(bundle);
                if (!shown.isEmpty()) {
                    console.println(shown);
                }
            }
        }
        if (error != null) {
            console.println(errors.render(error));
        }
        return error == null;
    }

    /** Ends the REPL: stops the spinner thread. The sessions are closed by the caller. */
    void close() {
        progress.close();
    }
}
