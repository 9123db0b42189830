package dev.agbscript.repl;

import dev.agbscript.session.Language;
import dev.agbscript.session.SessionManager;
import dev.agbscript.session.UnsupportedLanguageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Buffer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * The agb-script REPL. It is a host like any other: it gets its engines from
 * {@link javax.script.ScriptEngineManager} by name, and all its languages share one named session.
 * {@link #main} chooses the mode: a script file, {@code -e CODE}, piped input, or the interactive REPL
 * on a JLine terminal (this class).
 */
public final class Repl {
    private final Terminal terminal;
    private final Workspace workspace;
    private final Commands commands;
    private final Path historyFile;
    private final TerminalInput input;

    /** @param env the environment (colors and the image protocol are decided from it) */
    Repl(Terminal terminal, Language language, Map<String, String> env, Places places) {
        this.terminal = terminal;
        TerminalCapabilities capabilities = TerminalCapabilities.detect(env, terminal.getType(),
                !terminal.getType().startsWith("dumb"), terminal.getWidth());
        this.workspace = new Workspace(new Console(terminal.writer(), capabilities), language, places);
        this.commands = new Commands(workspace);
        this.input = new TerminalInput(terminal, workspace.console());
        workspace.input(input);
        this.historyFile = places.stateFiles().history();
    }

    public static void main(String[] args) {
        ReplOptions options;
        try {
            options = ReplOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help() || options.version()) {
            System.out.println(options.help() ? ReplOptions.USAGE : "agb-script " + version());
            return;
        }
        Map<String, String> env = System.getenv();
        if (System.getProperty("agb.pool.size") == null && env.get("AGB_POOL_SIZE") == null) {
            // One session for all languages: a warm pool of the local backend would only hold kernels nobody takes.
            System.setProperty("agb.pool.size", "0");
        }
        StateFiles stateFiles = StateFiles.of(env, System.getProperty("user.home"));
        Optional<String> noLog = ReplLog.writeTo(stateFiles.log());
        int status;
        try {
            status = start(options, env, stateFiles, noLog);
        } finally {
            SessionManager.shared().close();
        }
        System.exit(status); // kernel I/O threads must not keep the JVM alive
    }

    /** @param noLog why the log file cannot be written, if it cannot */
    private static int start(ReplOptions options, Map<String, String> env, StateFiles stateFiles,
                             Optional<String> noLog) {
        SessionManager sessions = SessionManager.shared();
        if (options.workdir().isPresent() && !sessions.supportsWorkingFolder()) {
            System.err.println("The " + sessions.backendName() + " backend cannot run code in a folder of your choice"
                    + "; leave out --workdir");
            return 2;
        }
        Places places = Places.of(options.workdir().orElse(Path.of("")), sessions, OutputFiles.temporary(env),
                stateFiles);
        if (options.workdir().isPresent() && !places.kernelsThere()) {
            System.err.println("Cannot run code in " + places.workingFolder() + ": " + places.whyElsewhere());
            return 2;
        }
        if (options.file().isPresent() || options.expression().isPresent() || System.console() == null) {
            return ScriptRunner.run(options, env, places);
        }
        Language language = options.language().orElse(Language.PYTHON);
        if (new javax.script.ScriptEngineManager().getEngineByName("agb-" + language.id()) == null) {
            System.err.println("No engine agb-" + language.id() + " is installed; start with --lang python");
            return 2;
        }
        try (Terminal terminal = TerminalBuilder.builder().name("agb").system(true).dumb(true).build()) {
            Repl repl = new Repl(terminal, language, env, places);
            noLog.ifPresent(problem -> repl.workspace.console().println(
                    repl.workspace.console().styles().dim("(no log file: " + problem + ")")));
            repl.run();
            return 0;
        } catch (IOException e) {
            System.err.println("Cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** Reads and runs inputs until Ctrl-D or /exit. */
    void run() {
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("agb")
                .parser(new ReplParser(workspace))
                .completer(new ReplCompleter(workspace))
                .history(new LanguageHistory(historyFile, workspace::language))
                .variable(LineReader.INDENTATION, 1) // continuation lines start with the kernel's indent
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is code, not history expansion
                .build();
        bindIndentingTab(reader);
        insertClosingBracketsAsTyped(reader);
        walkTheCurrentLanguagesHistoryWithUpAndDown(reader);
        createHistoryDirectory();
        Console console = workspace.console();
        // Ctrl-C while code runs (readLine installs its own handler while it reads, and restores this one)
        terminal.handle(Terminal.Signal.INT, signal -> workspace.interrupt());
        console.println(banner(console.styles()));
        try {
            while (true) {
                String prompt = prompt();
                reader.setVariable(LineReader.SECONDARY_PROMPT_PATTERN,
                        continuationPrompt(prompt).replace("%", "%%"));
                String input;
                try {
                    input = reader.readLine(styledPrompt(prompt));
                } catch (UserInterruptException e) {
                    // Ctrl-C at the prompt clears the line; on an empty one (often a second Ctrl-C meant for code
                    // that had just ended) it must not leave a second, identical prompt behind
                    if (e.getPartialLine().isEmpty()) {
                        eraseLineAbove();
                    }
                    continue;
                } catch (EndOfFileException e) {
                    return;
                }
                if (input.isBlank()) {
                    continue;
                }
                workspace.snippets().recordInput(workspace.language(), input.strip());
                boolean exit = withoutEcho(() -> {
                    if (Commands.isCommand(input)) {
                        return commands.run(input) == Commands.Outcome.EXIT;
                    }
                    workspace.run(input);
                    return false;
                });
                if (exit) {
                    return;
                }
                console.freshLine();
            }
        } finally {
            workspace.close(); // the history is in its file already: each input is appended as it is entered
        }
    }

    /**
     * Runs the action with the terminal's echo off: keys typed while code runs wait, unshown, for the next
     * prompt, which then shows them once (echoed now, they would also land in the code's output and spinner).
     */
    private boolean withoutEcho(BooleanSupplier action) {
        Attributes saved = terminal.getAttributes();
        Attributes quiet = new Attributes(saved);
        quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        terminal.setAttributes(quiet);
        try {
            return action.getAsBoolean();
        } finally {
            input.awaitReadEnded(); // an answer being typed when the run ended gives the terminal back first
            terminal.setAttributes(saved);
        }
    }

    /** Removes the line JLine left above the cursor after an interrupted empty prompt. */
    private void eraseLineAbove() {
        if (!terminal.getType().startsWith("dumb")) {
            terminal.puts(InfoCmp.Capability.cursor_up);
            terminal.puts(InfoCmp.Capability.carriage_return);
            terminal.puts(InfoCmp.Capability.clr_eol);
            terminal.flush();
        }
    }

    /**
     * Tab on a line holding only indentation inserts four spaces (a tab character would mix with the
     * kernel's space indentation, which Python refuses); anywhere else it completes, and a second Tab with nothing
     * changed in between shows the signature and documentation of the name at the cursor above the prompt (when
     * the kernel has none, it completes again: JLine's menu of candidates).
     */
    private void bindIndentingTab(LineReader reader) {
        String widget = "agb-indent-or-complete";
        CompletionHelp help = new CompletionHelp(workspace);
        String[] afterLastTab = {null};
        reader.getWidgets().put(widget, () -> {
            Buffer buffer = reader.getBuffer();
            String before = buffer.substring(0, buffer.cursor());
            if (before.substring(before.lastIndexOf('\n') + 1).isBlank()) {
                buffer.write("    ");
                afterLastTab[0] = null;
                return true;
            }
            String state = buffer.cursor() + ":" + buffer;
            if (state.equals(afterLastTab[0])) {
                Optional<String> shown = help.at(buffer.toString(), buffer.cursor());
                if (shown.isPresent()) {
                    reader.printAbove(shown.get());
                    afterLastTab[0] = null; // a third Tab completes again
                    return true;
                }
            }
            reader.callWidget(LineReader.COMPLETE_WORD);
            afterLastTab[0] = buffer.cursor() + ":" + buffer;
            return true;
        });
        for (String keymap : new String[] {LineReader.EMACS, LineReader.VIINS}) {
            reader.getKeyMaps().get(keymap).bind(new Reference(widget), "\t");
        }
    }

    /**
     * JLine binds {@code ) ] }} to widgets that delete up to INDENTATION spaces before the bracket (meant to
     * dedent a closing line); with the indentation the REPL uses, that ate the space in {@code "[ OK ]"}.
     * Typed text is never rewritten, so they insert themselves like any other character.
     */
    private static void insertClosingBracketsAsTyped(LineReader reader) {
        for (String keymap : new String[] {LineReader.EMACS, LineReader.VIINS}) {
            for (String bracket : new String[] {")", "]", "}"}) {
                reader.getKeyMaps().get(keymap).bind(new Reference(LineReader.SELF_INSERT), bracket);
            }
        }
    }

    /**
     * Up and Down bring back the current language's inputs ({@link LanguageHistory} keeps to it), not JLine's
     * default search of every input by the first word; Ctrl-R still searches all.
     */
    private static void walkTheCurrentLanguagesHistoryWithUpAndDown(LineReader reader) {
        String up = KeyMap.key(reader.getTerminal(), InfoCmp.Capability.key_up);
        String down = KeyMap.key(reader.getTerminal(), InfoCmp.Capability.key_down);
        if (up == null || down == null || up.isEmpty() || down.isEmpty()) {
            return; // a dumb terminal has no arrow keys
        }
        for (String keymap : new String[] {LineReader.EMACS, LineReader.VIINS}) {
            KeyMap<Binding> keys = reader.getKeyMaps().get(keymap);
            keys.bind(new Reference(LineReader.UP_LINE_OR_HISTORY), up);
            keys.bind(new Reference(LineReader.DOWN_LINE_OR_HISTORY), down);
        }
    }

    private String prompt() {
        return workspace.language().id() + " [" + workspace.snippets().nextNumber(workspace.language()) + "]> ";
    }

    private String styledPrompt(String prompt) {
        Styles styles = workspace.console().styles();
        String language = workspace.language().id();
        return styles.green(language) + styles.dim(prompt.substring(language.length(), prompt.length() - 2)) + "> ";
    }

    /** {@code      ...> }, as wide as the prompt so that code lines up. */
    static String continuationPrompt(String prompt) {
        String dots = "...> ";
        return " ".repeat(Math.max(0, prompt.length() - dots.length())) + dots;
    }

    private String banner(Styles styles) {
        String backend = SessionManager.shared().backendName();
        String banner = styles.bold("agb-script " + version()) + " REPL on the " + backend + " backend, "
                + workspace.language().displayName() + " first. " + styles.dim("/help for help, /exit or Ctrl-D to leave.");
        return workspace.places().kernelsThere() ? banner : banner + "\n" + styles.dim("(Your code runs in a temporary"
                + " folder, deleted on exit, not in yours: " + workspace.places().whyElsewhere()
                + ". /put and /get copy files in and out.)");
    }

    private void createHistoryDirectory() {
        try {
            Files.createDirectories(historyFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            workspace.console().println(workspace.console().styles().dim("(no history file: " + e.getMessage() + ")"));
        }
    }

    static String version() {
        return Optional.ofNullable(Repl.class.getPackage().getImplementationVersion()).orElse("dev");
    }

}
