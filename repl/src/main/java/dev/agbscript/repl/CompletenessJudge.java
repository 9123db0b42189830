package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;
import dev.agbscript.session.Language;

/**
 * Decides whether to run a snippet or ask for another line: the kernel's {@code is_complete} when that
 * language's kernel already runs (asking never starts a kernel, so the first prompt stays fast), the
 * {@link LocalCompleteness} rules otherwise or when the kernel cannot tell.
 */
final class CompletenessJudge {
    private CompletenessJudge() {}

    static Completeness judge(Language language, AgbScriptEngine engine, String code) {
        if (code.isBlank() || code.stripLeading().startsWith("/") && !code.contains("\n")) {
            return new Completeness(Status.COMPLETE, "");
        }
        // an auto-indented line left empty counts as the blank line that ends a block
        code = code.replaceFirst("\\n[ \\t]+$", "\n");
        if (engine != null && kernelRunning(engine, language)) {
            try {
                Completeness remote = engine.isComplete(code);
                if (remote.status() != Status.UNKNOWN) {
                    return remote;
                }
            } catch (RuntimeException e) {
                // the kernel is gone or busy: the local rules decide
            }
        }
        return LocalCompleteness.judge(language, code);
    }

    static boolean kernelRunning(AgbScriptEngine engine, Language language) {
        try {
            return engine.session().runningLanguages().contains(language);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
