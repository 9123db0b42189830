package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import java.util.List;
import java.util.Optional;

/**
 * What a second Tab shows: the signature and documentation of the name at the cursor, from the current language's
 * kernel ({@code inspect_request}), cut to a screenful ({@code name?} shows all).
 */
final class CompletionHelp {
    static final int MAX_LINES = 15;

    private final Workspace workspace;

    CompletionHelp(Workspace workspace) {
        this.workspace = workspace;
    }

    /** The help for the code's name at the cursor, or empty when there is none (or the line is a command). */
    Optional<String> at(String code, int cursor) {
        if (Commands.isCommand(code) || code.isBlank()) {
            return Optional.empty();
        }
        Optional<MimeBundle> answer;
        try {
            answer = workspace.engine().inspect(code, cursor, false);
        } catch (RuntimeException e) {
            return Optional.empty(); // no engine or no kernel: nothing to show
        }
        return answer.map(MimeBundle::text).filter(text -> !text.isBlank()).map(CompletionHelp::screenful);
    }

    static String screenful(String text) {
        List<String> lines = text.strip().lines().toList();
        if (lines.size() <= MAX_LINES) {
            return String.join("\n", lines);
        }
        return String.join("\n", lines.subList(0, MAX_LINES)) + "\n… (" + (lines.size() - MAX_LINES)
                + " more lines: NAME? shows all)";
    }
}
