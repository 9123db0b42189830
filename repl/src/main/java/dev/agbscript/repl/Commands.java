package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.AgbScriptEngine.VariableSummary;
import dev.agbscript.session.Language;
import dev.agbscript.session.Session;
import dev.agbscript.session.SessionStats;
import dev.agbscript.session.UnsupportedLanguageException;
import dev.agbscript.session.ValueJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Carries out the slash commands (see {@link Command}) on a {@link Workspace}. Every mistake, unknown
 * command or bad argument, gets a one-line explanation.
 */
final class Commands {
    /** What the loop does after a command. */
    enum Outcome { CONTINUE, EXIT, FAILED }

    private final Workspace workspace;
    private final Console console;
    private final Styles styles;

    Commands(Workspace workspace) {
        this.workspace = workspace;
        this.console = workspace.console();
        this.styles = console.styles();
    }

    static boolean isCommand(String input) {
        String trimmed = input.strip();
        return trimmed.startsWith("/") && !trimmed.contains("\n") && !trimmed.startsWith("//") && !trimmed.startsWith("/*");
    }

    /** {@code /lang NAME} or a short form such as {@code /py}: a switch of language. */
    static boolean isLanguageSwitch(String input) {
        if (!isCommand(input)) {
            return false;
        }
        String[] words = input.strip().split("\\s+");
        if (words[0].equals(Command.LANG.commandName())) {
            return words.length == 2;
        }
        try {
            Language.of(words[0].substring(1));
            return words.length == 1 && Command.named(words[0]).isEmpty();
        } catch (UnsupportedLanguageException e) {
            return false;
        }
    }

    Outcome run(String input) {
        String[] words = input.strip().split("\\s+", 2);
        String name = words[0];
        String argument = words.length > 1 ? words[1].strip() : "";
        if (name.matches("/-\\d+")) {
            return rerun(Integer.parseInt(name.substring(2)));
        }
        var command = Command.named(name);
        if (command.isEmpty()) {
            return shortLanguageForm(name);
        }
        return switch (command.get()) {
            case HELP -> help(argument);
            case EXIT -> Outcome.EXIT;
            case LANG -> lang(argument);
            case RESET -> reset();
            case VARS -> vars();
            case SEND -> send(argument);
            case LIST -> list();
            case HISTORY -> history();
            case SAVE -> save(argument);
            case OPEN -> open(argument);
            case TIMEOUT -> timeout(argument);
            case SESSION -> session();
            case RERUN -> rerun(1);
            case RERUN_PREVIOUS -> fail("Write the number: /-1 is the last snippet, /-2 the one before.");
        };
    }

    private Outcome shortLanguageForm(String name) {
        try {
            return lang(Language.of(name.substring(1)).id());
        } catch (UnsupportedLanguageException e) {
            return fail("Unknown command " + name + "; /help lists the commands.");
        }
    }

    private Outcome help(String argument) {
        if (!argument.isEmpty()) {
            var command = Command.named(argument.matches("/?-\\d+") ? "/-n" : argument);
            if (command.isEmpty()) {
                return fail("No command " + argument + "; /help lists the commands.");
            }
            console.println(styles.bold(command.get().usage()) + "\n" + command.get().help());
            return Outcome.CONTINUE;
        }
        StringBuilder text = new StringBuilder("Type code to run it in the current language; its output and value "
                + "are shown.\nCommands:\n");
        for (Command command : Command.values()) {
            String usage = command.usage();
            if (usage.length() > 18) { // its summary goes on the next line, keeping the summaries in one column
                text.append("  ").append(usage).append('\n').append(" ".repeat(21));
            } else {
                text.append(String.format("  %-18s ", usage));
            }
            text.append(command.summary()).append('\n');
        }
        text.append(String.format("  %-18s %s%n", "/py /js /java /r", "short forms of /lang"));
        console.println(text + Command.KEYS + "\n" + folders());
        return Outcome.CONTINUE;
    }

    /** Where things are, for /help. */
    private String folders() {
        Places places = workspace.places();
        return "Folders and files:\n"
                + String.format("  %-15s %s%n", "working folder", places.workingFolder() + " (relative paths of /open"
                        + " and /save" + (places.kernelsThere() ? " and of your code)" : "; your code runs elsewhere,"
                        + " see /session)"))
                + String.format("  %-15s %s%n", "outputs", places.outputs().where() + " (images, HTML, charts)")
                + String.format("  %-15s %s%n", "history", places.stateFiles().history())
                + String.format("  %-15s %s", "log", places.stateFiles().log());
    }

    private Outcome lang(String argument) {
        if (argument.isEmpty()) {
            console.println("Current language: " + workspace.language().id() + ". Installed: "
                    + workspace.engines().installed() + ". Usage: /lang NAME");
            return Outcome.CONTINUE;
        }
        try {
            workspace.switchTo(Language.of(argument));
            return Outcome.CONTINUE;
        } catch (UnsupportedLanguageException | IllegalStateException e) {
            return fail(e.getMessage());
        }
    }

    private Outcome reset() {
        try {
            AgbScriptEngine engine = workspace.engine();
            engine.restart();
            workspace.snippets().reset(workspace.language());
            console.println(workspace.language().displayName() + " kernel restarted: its variables are gone.");
            return Outcome.CONTINUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("Interrupted while restarting.");
        } catch (RuntimeException e) {
            return fail("Cannot restart: " + e.getMessage());
        }
    }

    private Outcome vars() {
        List<VariableSummary> variables;
        try {
            variables = workspace.engine().variableSummaries();
        } catch (RuntimeException e) {
            return fail("Cannot list the variables: " + e.getMessage());
        }
        if (variables.isEmpty()) {
            console.println(styles.dim("No variables yet."));
        }
        int nameWidth = variables.stream().mapToInt(v -> v.variable().name().length()).max().orElse(0);
        int typeWidth = variables.stream().mapToInt(v -> v.type() == null ? 0 : v.type().length()).max().orElse(0);
        int valueWidth = Math.max(20, console.capabilities().width() - nameWidth - typeWidth - 6);
        for (VariableSummary variable : variables) {
            String name = String.format("%-" + nameWidth + "s", variable.variable().name());
            String type = typeWidth == 0 ? "" : String.format("  %-" + typeWidth + "s", variable.type() == null ? ""
                    : variable.type());
            console.println("  " + styles.bold(name) + styles.dim(type) + "  " + shortValue(variable, valueWidth));
        }
        return Outcome.CONTINUE;
    }

    /** One line: a table's size and columns, a value's JSON, else the language's text of it. */
    private static String shortValue(VariableSummary summary, int width) {
        AgbScriptEngine.Variable variable = summary.variable();
        String shown = summary.shape() != null
                ? VariableCopier.count(summary.shape().rows(), "row") + " × "
                        + VariableCopier.count(summary.shape().columns().size(), "column") + ": "
                        + String.join(", ", summary.shape().columns())
                : variable.text() != null ? variable.text() : ValueJson.write(variable.value());
        shown = shown.strip().replaceAll("\\s*\\n\\s*", " ⏎ ");
        return shown.length() <= width ? shown : shown.substring(0, width - 1) + "…";
    }

    private static final Pattern SEND = Pattern.compile("(\\S+)(?:\\s+as\\s+(\\S+))?(?:\\s+to)?\\s+(\\S+)");

    private Outcome send(String argument) {
        Matcher words = SEND.matcher(argument);
        if (!words.matches()) {
            return fail("Usage: /send NAME [as NEW] [to] LANGUAGE, e.g. /send df r or /send df as rows to js");
        }
        String name = words.group(1);
        String as = words.group(2) != null ? words.group(2) : name;
        Language target;
        try {
            target = Language.of(words.group(3));
        } catch (UnsupportedLanguageException e) {
            return fail(e.getMessage());
        }
        if (target == workspace.language()) {
            return fail(name + " is in " + target.displayName() + " already: /send copies into another language.");
        }
        try {
            String made = workspace.copy(name, target, as);
            console.println(styles.dim("Copied " + name + " to " + target.displayName() + (as.equals(name) ? "" : " as " + as)
                    + (made.isEmpty() ? "" : " (" + made + ")") + "."));
            return Outcome.CONTINUE;
        } catch (VariableCopier.CannotCopy e) {
            return fail(e.getMessage());
        }
    }

    private Outcome list() {
        List<Snippets.Snippet> snippets = workspace.snippets().code(workspace.language());
        if (snippets.isEmpty()) {
            console.println(styles.dim("No " + workspace.language().displayName() + " snippets yet."));
        }
        for (Snippets.Snippet snippet : snippets) {
            String number = String.format("%4s ", (snippet.succeeded() ? "" : "!") + snippet.number());
            console.println(styles.dim(number) + snippet.code().replace("\n", "\n     "));
        }
        return Outcome.CONTINUE;
    }

    private Outcome history() {
        List<Snippets.Input> inputs = workspace.snippets().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Snippets.Input input = inputs.get(i);
            console.println(styles.dim(String.format("%4d %-10s ", i + 1, input.language().id()))
                    + input.text().replace("\n", "\n" + " ".repeat(16)));
        }
        return Outcome.CONTINUE;
    }

    private Outcome save(String argument) {
        if (argument.isEmpty()) {
            return fail("Usage: /save FILE");
        }
        String code = workspace.snippets().code(workspace.language()).stream()
                .filter(Snippets.Snippet::succeeded).map(s -> s.code().stripTrailing() + "\n")
                .collect(Collectors.joining());
        Path file = workspace.places().resolve(argument);
        try {
            Files.writeString(file, code, StandardCharsets.UTF_8);
            long lines = code.lines().count();
            console.println(styles.dim("Saved " + lines + (lines == 1 ? " line" : " lines") + " to " + file));
            return Outcome.CONTINUE;
        } catch (IOException e) {
            return fail("Cannot write " + file + ": " + e.getMessage());
        }
    }

    private Outcome open(String argument) {
        if (argument.isEmpty()) {
            return fail("Usage: /open FILE");
        }
        Path file = workspace.places().resolve(argument);
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail("Cannot read " + file + ": " + e.getMessage());
        }
        Language target = LanguageEngines.forFile(file).orElse(workspace.language());
        return workspace.run(target, code, file.toString()) ? Outcome.CONTINUE : Outcome.FAILED;
    }

    private Outcome timeout(String argument) {
        if (argument.isEmpty()) {
            console.println("Time limit: " + seconds(workspace.timeout()) + " s");
            return Outcome.CONTINUE;
        }
        try {
            double seconds = Double.parseDouble(argument);
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new NumberFormatException();
            }
            workspace.timeout(Duration.ofMillis(Math.round(seconds * 1000)));
            console.println(styles.dim("Time limit: " + seconds(workspace.timeout()) + " s"));
            return Outcome.CONTINUE;
        } catch (NumberFormatException e) {
            return fail("/timeout needs a positive number of seconds, e.g. /timeout 30");
        }
    }

    private Outcome session() {
        try {
            Session session = workspace.engine().session();
            String kernels = session.runningLanguages().stream().map(Language::id).sorted()
                    .collect(Collectors.joining(", "));
            Duration uptime = session.uptime();
            String folder = session.workingFolder().map(Path::toString).orElse("the backend's own (it cannot run code in "
                    + workspace.places().workingFolder() + ")");
            SessionStats stats = session.manager().stats();
            console.println("Backend:  " + session.backendName() + "\n"
                    + "Session:  " + Workspace.SESSION_NAME + ", id " + session.id().orElse("(not started yet)") + "\n"
                    + "Folder:   " + folder + "\n"
                    + "Kernels:  " + (kernels.isEmpty() ? "none running" : kernels) + "\n"
                    + String.format("Uptime:   %d:%02d:%02d", uptime.toHours(), uptime.toMinutesPart(),
                    uptime.toSecondsPart()) + "\n"
                    + styles.dim("Manager:  " + stats));
            return Outcome.CONTINUE;
        } catch (RuntimeException e) {
            return fail("Cannot describe the session: " + e.getMessage());
        }
    }

    private Outcome rerun(int n) {
        var snippet = workspace.snippets().previous(workspace.language(), n);
        if (snippet.isEmpty()) {
            return fail(n == 1 ? "No snippet to run again yet." : "There is no snippet /-" + n + " (there are "
                    + workspace.snippets().code(workspace.language()).size() + ").");
        }
        console.println(styles.dim(snippet.get().code()));
        return workspace.run(snippet.get().code()) ? Outcome.CONTINUE : Outcome.FAILED;
    }

    private Outcome fail(String message) {
        console.println(styles.red(message));
        return Outcome.FAILED;
    }

    private static String seconds(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
