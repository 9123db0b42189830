package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptException;
import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.Language;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.UnsupportedLanguageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The agb-script REPL: reads a line, evaluates it in the current language, prints the value or the error.
 * It is a host like any other: it gets its engines from {@link ScriptEngineManager} by name, and all its
 * languages share one named session ({@value #SESSION_NAME}).
 */
public final class Repl {
    static final String SESSION_NAME = "repl";

    private final Terminal terminal;
    private final PrintWriter out;
    private final ScriptEngineManager engines = new ScriptEngineManager();
    private final ScriptContext context = new SimpleScriptContext();
    private Language language;
    private AgbScriptEngine engine;

    Repl(Terminal terminal, Language language) {
        this.terminal = terminal;
        this.out = terminal.writer();
        context.setWriter(out);
        context.setErrorWriter(out);
        context.setAttribute(AgbScriptEngine.SESSION, SESSION_NAME, ScriptContext.ENGINE_SCOPE);
        switchTo(language);
    }

    public static void main(String[] args) throws IOException {
        Language language = Language.PYTHON;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--lang") || args[i].equals("-l")) && i + 1 < args.length) {
                language = Language.of(args[++i]);
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("Usage: agb [--lang python|javascript|java|r]");
                return;
            } else {
                System.err.println("Unknown argument: " + args[i] + " (try --help)");
                System.exit(2);
            }
        }
        try (Terminal terminal = TerminalBuilder.builder().name("agb").dumb(true).build()) {
            new Repl(terminal, language).run();
        } finally {
            SessionManager.shared().close();
        }
    }

    void run() {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("agb").build();
        out.println("agb-script REPL " + version() + " on the " + SessionManager.shared().backendName()
                + " backend. /help for help, /exit to leave.");
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("/")) {
                if (!command(trimmed)) {
                    return;
                }
                continue;
            }
            evaluate(line);
            out.flush();
        }
    }

    /** @return false to leave */
    private boolean command(String line) {
        String[] words = line.split("\\s+", 2);
        switch (words[0]) {
            case "/exit", "/quit" -> {
                return false;
            }
            case "/help" -> out.println("""
                    Type code to run it in the current language; its value or error is printed.
                      /lang NAME   switch language (python, javascript, java, r; aliases py, js, node)
                      /help        this help
                      /exit        leave (Ctrl-D too); the session and its kernels are deleted""");
            case "/lang" -> {
                if (words.length < 2) {
                    out.println("Current language: " + language.id() + ". Usage: /lang NAME");
                } else {
                    try {
                        switchTo(Language.of(words[1]));
                    } catch (UnsupportedLanguageException | IllegalStateException e) {
                        out.println(e.getMessage());
                    }
                }
            }
            default -> out.println("Unknown command " + words[0] + "; /help lists the commands.");
        }
        return true;
    }

    private void switchTo(Language target) {
        ScriptEngine found = engines.getEngineByName("agb-" + target.id());
        if (!(found instanceof AgbScriptEngine agb)) {
            throw new IllegalStateException("No engine agb-" + target.id() + " is installed");
        }
        language = target;
        engine = agb;
    }

    private void evaluate(String code) {
        try {
            ExecutionResult result = engine.execute(code, context);
            Optional<MimeBundle> main = result.mainResult();
            main.map(MimeBundle::text).ifPresent(out::println);
        } catch (AgbScriptException e) {
            String traceback = e.remoteTraceback();
            out.println(traceback.isBlank() ? e.error().message() : traceback);
        } catch (ScriptException e) {
            out.println("Error: " + e.getMessage());
        }
    }

    private String prompt() {
        return language.id() + "> ";
    }

    private static String version() {
        return Optional.ofNullable(Repl.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
