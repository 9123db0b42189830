package dev.agbscript.repl;

import dev.agbscript.session.InputSource;
import dev.agbscript.session.Language;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The REPL without a person: {@code agb FILE} runs a script, {@code agb -e CODE} one snippet, and input from
 * a pipe runs line by line without prompts. Same output rules as at the prompt; the exit status is 1 when
 * something failed.
 */
final class ScriptRunner {
    private ScriptRunner() {}

    static int run(ReplOptions options, Map<String, String> env, Places places) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        return run(options, env, places, new InputStreamReader(System.in, StandardCharsets.UTF_8), out,
                System.console() != null);
    }

    /** @param isTerminal whether the output is a terminal (colors allowed unless NO_COLOR or TERM=dumb) */
    static int run(ReplOptions options, Map<String, String> env, Places places, Reader input, Writer output,
                   boolean isTerminal) {
        PrintWriter out = output instanceof PrintWriter p ? p : new PrintWriter(output, true);
        TerminalCapabilities detected = TerminalCapabilities.detect(env, env.getOrDefault("TERM", "dumb"), isTerminal, 80);
        // never a spinner, never inline images: the output may be read by a program or a log
        TerminalCapabilities capabilities = new TerminalCapabilities(detected.color(),
                TerminalCapabilities.ImageProtocol.NONE, false, detected.width());
        Language language = options.language()
                .or(() -> options.file().flatMap(LanguageEngines::forFile))
                .orElse(Language.PYTHON);
        Workspace workspace = new Workspace(new Console(out, capabilities), language, places);
        // a script's input() reads the REPL's standard input, unless that is where the snippets come from
        workspace.inputReader(input);
        if (options.file().isEmpty() && options.expression().isEmpty()) {
            workspace.input(InputSource.none("the snippets come from standard input, so the code cannot read it:"
                    + " run the script as agb FILE"));
        }
        try {
            if (options.file().isPresent()) {
                Path file = options.file().get();
                String code;
                try {
                    code = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    out.println("Cannot read " + file + ": " + e.getMessage());
                    return 2;
                }
                return workspace.run(language, code, file.toString()) ? 0 : 1;
            }
            if (options.expression().isPresent()) {
                return workspace.run(options.expression().get()) ? 0 : 1;
            }
            LineFeeder feeder = new LineFeeder(workspace);
            BufferedReader lines = new BufferedReader(input);
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!feeder.feed(line)) {
                        break;
                    }
                }
            } catch (IOException e) {
                out.println("Cannot read the input: " + e.getMessage());
                return 2;
            }
            return feeder.finish() ? 0 : 1;
        } finally {
            workspace.close();
            out.flush();
        }
    }
}
