package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;

/**
 * Decides whether to run a snippet or ask for another line: a blank line, a command or a request for help
 * ({@link HelpRequest}) runs at once; code is the engine's judgement (its kernel's when one runs, else its
 * language's own rules).
 */
final class CompletenessJudge {
    private CompletenessJudge() {}

    static Completeness judge(AgbScriptEngine engine, String code) {
        if (engine == null || code.isBlank() || code.stripLeading().startsWith("/") && !code.contains("\n")) {
            return new Completeness(Status.COMPLETE, "");
        }
        if (HelpRequest.parse(engine.language(), code).isPresent()) {
            return new Completeness(Status.COMPLETE, ""); // name? would be an unfinished conditional in JavaScript
        }
        // an auto-indented line left empty counts as the blank line that ends a block
        return engine.isComplete(code.replaceFirst("\\n[ \\t]+$", "\n"));
    }
}
