package dev.agbscript.repl;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * JLine's view of the input: on Enter it asks the {@link CompletenessJudge} and throws {@link EOFError} while
 * the snippet is incomplete, which makes JLine continue on a new line with the continuation prompt. For
 * completion, the word is the name being typed before the cursor (for commands, the argument).
 */
final class ReplParser implements Parser {
    private final Workspace workspace;

    ReplParser(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !Commands.isCommand(line)) {
            Completeness completeness = CompletenessJudge.judge(workspace.engineOrNull(), line);
            if (completeness.status() == Status.INCOMPLETE) {
                // JLine starts the next line with openBrackets × INDENTATION spaces; INDENTATION is 1 (see Repl),
                // so passing the indent's width makes the continuation line start where the kernel says.
                throw new EOFError(-1, -1, "incomplete snippet", "", indentWidth(completeness.indent()), null);
            }
        }
        return CodeLine.at(line, cursor);
    }

    private static int indentWidth(String indent) {
        return indent.replace("\t", "    ").length();
    }

    /** Newlines in code are not escapes: never let JLine join lines ending in a backslash itself. */
    @Override
    public boolean isEscapeChar(char ch) {
        return false;
    }

    /** The buffer with the word before the cursor: identifier characters and dots, or a command argument. */
    record CodeLine(String line, int cursor, int wordStart) implements CompletingParsedLine {
        static CodeLine at(String line, int cursor) {
            int clamped = Math.max(0, Math.min(cursor, line.length()));
            int start = clamped;
            boolean command = Commands.isCommand(line);
            while (start > 0 && (command ? !Character.isWhitespace(line.charAt(start - 1))
                    : isNameChar(line.charAt(start - 1)))) {
                start--;
            }
            return new CodeLine(line, clamped, start);
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
        }

        @Override public String word() { return line.substring(wordStart, cursor); }
        @Override public int wordCursor() { return cursor - wordStart; }
        @Override public int wordIndex() { return 0; }
        @Override public List<String> words() { return List.of(word()); }
        @Override public CharSequence escape(CharSequence candidate, boolean complete) { return candidate; }
        @Override public int rawWordCursor() { return wordCursor(); }
        @Override public int rawWordLength() { return cursor - wordStart; }
    }
}
