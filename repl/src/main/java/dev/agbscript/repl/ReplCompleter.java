package dev.agbscript.repl;

import dev.agbscript.session.Completions;
import dev.agbscript.session.Language;
import java.nio.file.Path;
import java.util.List;
import javax.script.ScriptContext;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names after {@code /}, languages after {@code /lang}, commands after
 * {@code /help}, file names after {@code /open} and {@code /save}, variables and languages after {@code /send};
 * anything else is code and is completed by
 * the current language's kernel ({@code complete_request}).
 */
final class ReplCompleter implements Completer {
    private final Workspace workspace;
    private final Completer files;

    ReplCompleter(Workspace workspace) {
        this.workspace = workspace;
        this.files = new FileNameCompleter() {
            @Override
            protected Path getUserDir() {
                return workspace.places().workingFolder(); // where /open and /save look
            }
        };
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String buffer = line.line();
        if (Commands.isCommand(buffer) || buffer.strip().equals("/")) {
            commandCandidates(reader, line, candidates);
            return;
        }
        codeCandidates(line, candidates);
    }

    private void commandCandidates(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String before = line.line().substring(0, line.cursor()).stripLeading();
        int space = before.indexOf(' ');
        if (space < 0) {
            for (Command command : Command.values()) {
                if (command != Command.RERUN_PREVIOUS) {
                    candidates.add(new Candidate(command.commandName(), command.commandName(), null,
                            command.summary(), null, null, command.arguments().isEmpty()));
                }
            }
            for (String shortForm : List.of("/py", "/js", "/java", "/r")) {
                candidates.add(new Candidate(shortForm, shortForm, null, "short for /lang", null, null, true));
            }
            return;
        }
        switch (before.substring(0, space)) {
            case "/lang" -> {
                for (Language language : Language.values()) {
                    candidates.add(new Candidate(language.id()));
                }
            }
            case "/help" -> {
                for (Command command : Command.values()) {
                    candidates.add(new Candidate(command.commandName().substring(1)));
                }
            }
            case "/open", "/save" -> files.complete(reader, line, candidates);
            case "/send" -> sendCandidates(before.substring(space + 1), candidates);
            default -> { }
        }
    }

    /** The current language's variables, then "as", "to" and the other languages. */
    private void sendCandidates(String arguments, List<Candidate> candidates) {
        if (!arguments.strip().contains(" ") && !arguments.endsWith(" ")) {
            try {
                workspace.engine().getBindings(ScriptContext.ENGINE_SCOPE).keySet()
                        .forEach(name -> candidates.add(new Candidate(name)));
            } catch (RuntimeException e) {
                // no engine or no kernel: no names to offer
            }
            return;
        }
        candidates.add(new Candidate("as", "as", null, null, null, null, true));
        candidates.add(new Candidate("to", "to", null, null, null, null, true));
        for (Language language : Language.values()) {
            if (language != workspace.language()) {
                candidates.add(new Candidate(language.id()));
            }
        }
    }

    private void codeCandidates(ParsedLine line, List<Candidate> candidates) {
        Completions completions;
        try {
            completions = workspace.engine().complete(line.line(), line.cursor());
        } catch (RuntimeException e) {
            return; // no engine or no kernel: nothing to offer
        }
        String buffer = line.line();
        int wordStart = line.cursor() - line.wordCursor();
        int start = Math.max(0, Math.min(completions.cursorStart(), buffer.length()));
        for (String match : completions.matches()) {
            // JLine replaces the word before the cursor; express each match as a replacement of that word.
            String value;
            if (start <= wordStart) {
                String dropped = buffer.substring(start, wordStart);
                if (!match.startsWith(dropped)) continue;
                value = match.substring(dropped.length());
            } else {
                value = buffer.substring(wordStart, start) + match;
            }
            candidates.add(new Candidate(value, match, null, null, null, null, false));
        }
    }
}
