package dev.agbscript.repl;

import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.session.Completeness.Status;

/**
 * Input from a pipe, line by line and without prompts: lines accumulate until they form a complete
 * snippet (the same {@link CompletenessJudge} as at the prompt), which then runs; a slash command on a
 * line of its own runs at once. A line that starts a new statement (in Python, one at column 0, as in a
 * file) runs what came before it first. Unlike at the prompt, a blank line ends nothing: in a file it may
 * separate the methods of a class.
 */
final class LineFeeder {
    private final Workspace workspace;
    private final Commands commands;
    private final StringBuilder buffer = new StringBuilder();
    private boolean failed;
    private boolean exited;

    LineFeeder(Workspace workspace) {
        this.workspace = workspace;
        this.commands = new Commands(workspace);
    }

    /** @return false once {@code /exit} was read: the rest of the input is ignored */
    boolean feed(String line) {
        if (exited) {
            return false;
        }
        AgbScriptEngine engine = workspace.engineOrNull();
        if (buffer.length() > 0 && engine != null && engine.startsStatement(buffer.toString(), line)) {
            flush();
        }
        if (buffer.length() == 0) {
            if (line.isBlank()) {
                return true;
            }
            if (Commands.isCommand(line)) {
                workspace.snippets().recordInput(workspace.language(), line.strip());
                Commands.Outcome outcome = commands.run(line);
                failed |= outcome == Commands.Outcome.FAILED;
                exited = outcome == Commands.Outcome.EXIT;
                return !exited;
            }
        }
        buffer.append(buffer.length() == 0 ? "" : "\n").append(line);
        if (!line.isBlank() && CompletenessJudge.judge(engine, buffer.toString()).status() != Status.INCOMPLETE) {
            flush();
        }
        return true;
    }

    /** Runs what is left at the end of the input. @return true when everything ran without error */
    boolean finish() {
        if (!exited && !buffer.toString().isBlank()) {
            flush();
        }
        return !failed;
    }

    private void flush() {
        String snippet = buffer.toString();
        buffer.setLength(0);
        if (snippet.isBlank()) {
            return;
        }
        workspace.snippets().recordInput(workspace.language(), snippet);
        failed |= !workspace.run(snippet);
    }
}
