package dev.agbscript.engine;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;

/**
 * How a language writes comments and strings, enough to tell whether its brackets and strings are closed: the
 * language's own judgement of completeness when no kernel can answer (none runs yet, or it cannot tell).
 *
 * @param lineComment      what starts a comment to the end of the line
 * @param blockComments    whether {@code /* … *}{@code /} comments exist
 * @param quotes           the characters that open and close a string
 * @param tripleQuotes     whether a quote written three times opens a string that may span lines
 * @param multiLineQuotes  the quotes whose plain strings may span lines
 */
record Lexicon(String lineComment, boolean blockComments, String quotes, boolean tripleQuotes,
               String multiLineQuotes) {

    /** What a scan of the code found. */
    record Scan(int depth, boolean openString, boolean unbalanced) {}

    /**
     * Complete when brackets and strings are closed and the code does not end in a backslash; incomplete when
     * something is open; invalid when a closing bracket has no opening one.
     */
    Completeness completeness(String code) {
        if (code.isBlank()) {
            return new Completeness(Status.COMPLETE, "");
        }
        Scan scan = scan(code);
        if (scan.unbalanced()) {
            return new Completeness(Status.INVALID, "");
        }
        if (scan.depth() > 0 || scan.openString() || code.stripTrailing().endsWith("\\")) {
            return new Completeness(Status.INCOMPLETE, "");
        }
        return new Completeness(Status.COMPLETE, "");
    }

    /** Counts brackets outside strings and comments. */
    Scan scan(String code) {
        int depth = 0;
        boolean unbalanced = false;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (code.startsWith(lineComment, i)) {
                while (i < n && code.charAt(i) != '\n') i++;
                continue;
            }
            if (blockComments && code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                if (end < 0) return new Scan(depth, true, unbalanced);
                i = end + 2;
                continue;
            }
            if (quotes.indexOf(c) >= 0) {
                String quote = String.valueOf(c);
                boolean triple = tripleQuotes && code.startsWith(quote.repeat(3), i);
                boolean multiLine = triple || multiLineQuotes.indexOf(c) >= 0;
                String end = triple ? quote.repeat(3) : quote;
                int j = i + end.length();
                boolean closed = false;
                while (j < n) {
                    char e = code.charAt(j);
                    if (e == '\\') {
                        j += 2;
                        continue;
                    }
                    if (code.startsWith(end, j)) {
                        closed = true;
                        j += end.length();
                        break;
                    }
                    if (e == '\n' && !multiLine) {
                        break; // a one-line string cannot continue; the kernel will report the error
                    }
                    j++;
                }
                if (!closed && multiLine) {
                    return new Scan(depth, true, unbalanced);
                }
                i = j;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth < 0) unbalanced = true;
            }
            i++;
        }
        return new Scan(Math.max(depth, 0), false, unbalanced);
    }
}
