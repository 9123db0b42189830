package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.ExecutionRequest;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
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
    private final Places places;
    private final ScriptContext context = new SimpleScriptContext();
    private final LanguageEngines engines = new LanguageEngines(context);
    private final Snippets snippets = new Snippets();
    private final OutputRenderer renderer;
    private final ErrorRenderer errors;
    private final ProgressIndicator progress;
    private Language language;
    private Duration timeout = ExecutionRequest.DEFAULT_TIMEOUT;
    private volatile AgbScriptEngine running;

    Workspace(Console console, Language language, Places places) {
        this.console = console;
        this.language = language;
        this.places = places;
        this.renderer = new OutputRenderer(console.styles(), places.outputs(), console.capabilities());
        this.errors = new ErrorRenderer(console.styles());
        this.progress = new ProgressIndicator(console);
        context.setWriter(console.stream(false));
        context.setErrorWriter(console.stream(true));
        context.setAttribute(AgbScriptEngine.SESSION, SESSION_NAME, ScriptContext.ENGINE_SCOPE);
        // The languages' variables live in the session (/vars, completion), not in a scope of this context's own.
        context.setAttribute(AgbScriptEngine.SCOPE, AgbScriptEngine.SESSION_SCOPE, ScriptContext.ENGINE_SCOPE);
        context.setAttribute(AgbScriptEngine.TIMEOUT, timeout, ScriptContext.ENGINE_SCOPE);
        if (places.kernelsThere()) {
            context.setAttribute(AgbScriptEngine.WORKDIR, places.workingFolder(), ScriptContext.ENGINE_SCOPE);
        }
    }

    Console console() { return console; }
    Places places() { return places; }
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

    /** Where the code's requests for input are answered (see {@link AgbScriptEngine#INPUT}). */
    void input(InputSource source) {
        context.setAttribute(AgbScriptEngine.INPUT, source, ScriptContext.ENGINE_SCOPE);
    }

    /** The reader that answers the code's requests for input when no {@link #input(InputSource)} is set. */
    void inputReader(java.io.Reader reader) {
        context.setReader(reader);
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

    /**
     * Runs code in the current language (see {@link #run(Language, String, String)}), or shows the help it asks
     * for ({@link HelpRequest}).
     */
    boolean run(String code) {
        Optional<HelpRequest> help = HelpRequest.parse(language, code);
        return help.isPresent() ? showHelp(help.get()) : run(language, code, "<repl>");
    }

    /** Shows what the kernel says of the name. @return false when it knows nothing of it */
    private boolean showHelp(HelpRequest request) {
        AgbScriptEngine engine;
        try {
            engine = engine();
        } catch (IllegalStateException e) {
            console.println(console.styles().red(e.getMessage()));
            return false;
        }
        Optional<MimeBundle> answer;
        try (ProgressIndicator.Spinner spinner = progress(engine)) {
            answer = engine.inspect(request.name(), request.name().length(), request.detailed());
        } catch (RuntimeException e) {
            console.println(console.styles().red("No help for " + request.name() + ": " + e.getMessage()));
            return false;
        }
        if (answer.isEmpty()) {
            console.println(console.styles().dim("No help for " + request.name() + " (the " + language.displayName()
                    + " kernel knows nothing of it)"));
            return false;
        }
        return show(answer.get());
    }

    /**
     * Runs the code in that language and shows what it produced. Never throws for a failure of the code.
     *
     * @return true when it ran without error and every output could be shown (saved where it goes to a file)
     */
    boolean run(Language target, String code, String fileName) {
        AgbScriptEngine engine;
        try {
            engine = engines.engine(target);
        } catch (IllegalStateException e) {
            console.println(console.styles().red(e.getMessage()));
            return false;
        }
        ExecutionResult result = null;
        ExecutionError error = null;
        context.setAttribute(ScriptEngine.FILENAME, fileName, ScriptContext.ENGINE_SCOPE);
        running = engine;
        try (ProgressIndicator.Spinner spinner = progress(engine)) {
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
        if (!engine.isKernelRunning()) {
            snippets.reset(target); // the kernel died or was restarted: its state is gone, as after /reset
        }
        console.freshLine();
        boolean shown = result == null || show(result);
        if (error != null) {
            console.println(errors.render(error));
        }
        return error == null && shown;
    }

    /** The spinner for work on that engine's kernel: at once while it starts, else once a run takes long. */
    private ProgressIndicator.Spinner progress(AgbScriptEngine engine) {
        // Ctrl-C cannot stop a kernel that is still starting, so only a run offers it
        return engine.isKernelRunning() ? progress.show("running", " (Ctrl-C interrupts)", false)
                : progress.show("starting the " + engine.language().displayName() + " kernel", "", true);
    }

    /**
     * Copies a variable of the current language into the target language's kernel ({@code /send}).
     *
     * @return what the target made of it, e.g. {@code data.frame, 3 rows × 2 columns}
     */
    String copy(String name, Language target, String as) throws VariableCopier.CannotCopy {
        AgbScriptEngine from;
        AgbScriptEngine to;
        try {
            from = engine();
            to = engines.engine(target);
        } catch (IllegalStateException e) {
            throw new VariableCopier.CannotCopy(e.getMessage());
        }
        try (ProgressIndicator.Spinner spinner = progress(to)) {
            return VariableCopier.copy(from, name, to, as);
        }
    }

    /** Shows every output of the result. @return false when one could not be shown */
    private boolean show(ExecutionResult result) {
        boolean all = true;
        for (MimeBundle bundle : result.results()) {
            all &= show(bundle);
        }
        return all;
    }

    /** Shows one output. @return false when it could not be shown */
    boolean show(MimeBundle bundle) {
        try {
            String text = renderer.render(bundle);
            if (!text.isEmpty()) {
                console.println(text);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            console.println(console.styles().red("Cannot show the " + String.join(", ", bundle.data().keySet())
                    + " output: " + e.getMessage()));
            return false;
        }
    }

    /** Ends the REPL: stops the spinner thread. The sessions are closed by the caller. */
    void close() {
        progress.close();
    }
}
