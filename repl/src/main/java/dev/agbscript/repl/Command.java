package dev.agbscript.repl;

import java.util.Arrays;
import java.util.Optional;

/** Every REPL command with its usage and help, the single source for {@code /help} and tab completion. */
enum Command {
    HELP("/help", "[COMMAND]", "list the commands, or explain one",
            "/help alone lists every command and key; /help lang (or /help /lang) explains one command."),
    EXIT("/exit", "", "leave the REPL (Ctrl-D too); the session and its kernels are deleted",
            "Leaves the REPL. The shared session and every kernel it started are deleted."),
    LANG("/lang", "[NAME]", "switch language (python, javascript, java, r; aliases py, js, node)",
            "Switches the current language; each language keeps its variables while you are away. Short forms:\n"
                    + "/py, /js, /java, /r. Without NAME, shows the current and the installed languages."),
    RESET("/reset", "", "restart the current language's kernel (its variables are gone)",
            "Restarts the current language's kernel: its variables and imports are gone, the other languages\n"
                    + "keep theirs. The snippet numbers of the language start again at 1."),
    VARS("/vars", "", "list the current language's variables: name, type, short value",
            "Asks the kernel for the user's global variables (no functions, modules or classes): each with its type\n"
                    + "and value on one line; a data frame shows its size and columns."),
    SEND("/send", "NAME [as NEW] [to] LANGUAGE", "copy a variable into another language, e.g. /send df r",
            "Copies a variable of the current language into another language's kernel, under the same name or\n"
                    + "NEW. Values cross as JSON does (null, booleans, numbers, strings, lists, maps with string keys);\n"
                    + "a pandas DataFrame or an R data.frame crosses as a table (a data.frame in R, a DataFrame in\n"
                    + "Python, a list of records in JavaScript and Java). Other objects cannot cross. Examples:\n"
                    + "  /send df r              df, a pandas DataFrame in Python, becomes the data.frame df in R\n"
                    + "  /send df as rows to js  the same table as a list of records named rows in JavaScript"),
    LIST("/list", "", "list the snippets of the current language, numbered",
            "Lists the snippets run in the current language since its last reset; failed ones are marked '!'."),
    HISTORY("/history", "", "list everything entered in this REPL, commands included",
            "Lists every input of this REPL run, in order, with the language it was entered in. The line\n"
                    + "history of earlier runs is in the history file (Up arrow, Ctrl-R)."),
    SAVE("/save", "FILE", "save the snippets of the current language that ran without error to FILE",
            "Writes the current language's snippets that ran without error to FILE, one after the other,\n"
                    + "so that /open FILE (or agb FILE) replays them."),
    OPEN("/open", "FILE", "run FILE (its language from its extension, else the current one)",
            "Runs the whole file as one snippet in the language of its extension (.py .js .java .r),\n"
                    + "else in the current language."),
    PUT("/put", "HOSTFILE [NAME]", "copy a file of yours into the session's working folder",
            "Copies HOSTFILE (relative to your working folder; ~/ is your home) into the session's working folder,\n"
                    + "as NAME (a path relative to it) or under its own name. Your code sees no folder of yours\n"
                    + "unless it runs in your working folder: this is how data gets in."),
    GET("/get", "NAME [HOSTFILE]", "copy a file of the session's working folder out to yours",
            "Copies NAME (a path relative to the session's working folder) to HOSTFILE, or to your working\n"
                    + "folder under its own name: this is how what the code wrote gets out."),
    FILES("/files", "[FOLDER]", "list the session's working folder (or a folder in it)",
            "Lists a folder of the session's working folder (the folder itself without FOLDER): size and name,\n"
                    + "folders with a trailing /. Symbolic links are listed, never followed."),
    TIMEOUT("/timeout", "[SECONDS]", "show or set the time limit of a run",
            "Sets how long a snippet may run before it is interrupted (default 60). Without SECONDS,\n"
                    + "shows the current limit."),
    SESSION("/session", "", "show the backend, session id, running kernels and uptime",
            "Shows the backend the session runs on, its id, the kernels running in it and its uptime, then\n"
                    + "the session manager's numbers: sessions open, kernels live (of the cap) by language,\n"
                    + "starts and start times, waits for a slot, reclaims, evictions, idle closes, eval latency."),
    RERUN("/!", "", "run the last snippet of the current language again",
            "Runs the last snippet of the current language again, echoing it first."),
    RERUN_PREVIOUS("/-n", "", "run the n-th previous snippet again (/-1 is the last)",
            "/-1 runs the last snippet of the current language again, /-2 the one before, and so on.");

    private final String name;
    private final String arguments;
    private final String summary;
    private final String help;

    Command(String name, String arguments, String summary, String help) {
        this.name = name;
        this.arguments = arguments;
        this.summary = summary;
        this.help = help;
    }

    String commandName() { return name; }
    String arguments() { return arguments; }
    String summary() { return summary; }
    String help() { return help; }

    String usage() {
        return arguments.isEmpty() ? name : name + " " + arguments;
    }

    /** The command for a name, with or without its slash ({@code lang}, {@code /lang}). */
    static Optional<Command> named(String name) {
        String key = name.startsWith("/") ? name : "/" + name;
        return Arrays.stream(values()).filter(c -> c.name.equals(key)).findFirst();
    }

    /** The keys, for /help. */
    static final String KEYS = """
            Keys:
              Enter         run the snippet, or continue it on the next line while it is incomplete
              Tab           complete code (from the kernel), commands, languages, file names; indent
                            (four spaces) on a line holding only indentation
              Tab Tab       the signature and documentation of the name at the cursor
              Up/Down       previous/next input of the current language; Ctrl-R searches the inputs of
                            all languages (the history is kept across runs)
              Ctrl-C        interrupt the running code; at the prompt, clear the line
              Ctrl-D        leave (on an empty line)
              Alt-Enter     insert a newline without running

            Help: NAME? or ?NAME shows what NAME is (NAME?? more). When the code asks for input,
            type the answer (Ctrl-C interrupts, Ctrl-D ends the input; the time limit runs on).""";
}
