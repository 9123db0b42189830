package dev.agbscript.repl;

import dev.agbscript.session.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the command line asked for: the first language, and whether to run a file, one expression
 * ({@code -e}), or an interactive or piped REPL.
 */
record ReplOptions(Optional<Language> language, Optional<Path> file, Optional<String> expression,
                   Optional<Path> workdir, boolean help, boolean version) {
    static final String USAGE = """
            Usage: agb [--lang NAME] [--workdir DIR] [FILE | -e CODE]
              (no argument)    interactive REPL; with input from a pipe, runs it line by line without prompts
              FILE             run the script (language from its extension or --lang), exit 1 on an error
              -e CODE          evaluate CODE, print its output and value, exit 1 on an error
              --lang NAME, -l  language: python (default), javascript, java, r; aliases py, js, node
              --workdir DIR    the folder the code runs in and /open, /save read and write (default: the
                               current folder)
              --version        print the version
              --help, -h       this help""";

    /** @throws IllegalArgumentException with a one-line explanation for a bad command line */
    static ReplOptions parse(String... args) {
        Language language = null;
        Path file = null;
        String expression = null;
        Path workdir = null;
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--lang", "-l" -> language = Language.of(next(args, ++i, arg));
                case "-e", "--eval" -> expression = next(args, ++i, arg);
                case "--workdir" -> workdir = Path.of(next(args, ++i, arg));
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> {
                    if (arg.startsWith("--lang=")) {
                        language = Language.of(arg.substring("--lang=".length()));
                    } else if (arg.startsWith("--workdir=")) {
                        workdir = Path.of(arg.substring("--workdir=".length()));
                    } else if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new IllegalArgumentException("Unknown option " + arg + " (try --help)");
                    } else if (file != null) {
                        throw new IllegalArgumentException("Only one FILE can be run, got " + file + " and " + arg);
                    } else {
                        file = Path.of(arg);
                    }
                }
            }
        }
        if (file != null && expression != null) {
            throw new IllegalArgumentException("Give either FILE or -e CODE, not both");
        }
        if (workdir != null && !Files.isDirectory(workdir)) {
            throw new IllegalArgumentException("--workdir " + workdir + ": no such folder");
        }
        return new ReplOptions(Optional.ofNullable(language), Optional.ofNullable(file),
                Optional.ofNullable(expression), Optional.ofNullable(workdir), help, version);
    }

    private static String next(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value (try --help)");
        }
        return args[index];
    }
}
