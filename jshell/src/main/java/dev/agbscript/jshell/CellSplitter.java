package dev.agbscript.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits the code of a cell into JShell snippets with {@link SourceCodeAnalysis#analyzeCompletion}, each
 * with its offset in the cell so errors can name the line of the cell. The snippet text is the cell's own
 * text (positions inside it stay valid), plus the semicolon JShell wants when it said one is missing
 * (JShell rejects {@code int x = 5} without it).
 */
final class CellSplitter {
    /** One snippet: its source and where it starts in the cell. */
    record Piece(String source, int offset, boolean complete) {}

    private CellSplitter() {}

    static List<Piece> split(SourceCodeAnalysis analysis, String code) {
        List<Piece> pieces = new ArrayList<>();
        int offset = 0;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness completeness = info.completeness();
            if (!completeness.isComplete() || info.remaining() == null) {
                // Incomplete or not understood: hand the rest to JShell whole, it reports the error.
                int lead = rest.length() - rest.stripLeading().length();
                pieces.add(new Piece(rest.substring(lead), offset + lead, false));
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            if (consumed <= 0 || !rest.endsWith(info.remaining())) {
                pieces.add(new Piece(rest, offset, false));
                break;
            }
            String text = rest.substring(0, consumed);
            // JShell numbers a snippet's lines from its first non-blank character: start the piece there.
            int lead = text.length() - text.stripLeading().length();
            if (completeness == Completeness.COMPLETE_WITH_SEMI) {
                // On a line of its own, so a trailing // comment cannot swallow it; positions before it stay.
                text = text + "\n;";
            }
            if (!text.isBlank()) {
                pieces.add(new Piece(text.substring(lead), offset + lead, true));
            }
            offset += consumed;
            rest = rest.substring(consumed);
        }
        return pieces;
    }

    /** The 1-based line of the cell at that offset. */
    static int lineAt(String code, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, code.length()); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column of the cell at that offset. */
    static int columnAt(String code, int offset) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, Math.min(offset, code.length()) - 1)) + 1;
        return offset - lineStart + 1;
    }
}
