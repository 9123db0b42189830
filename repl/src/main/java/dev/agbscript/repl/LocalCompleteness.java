package dev.agbscript.repl;

import dev.agbscript.session.Completeness;
import dev.agbscript.session.Completeness.Status;
import dev.agbscript.session.Language;

/**
 * The REPL's own judgement of whether a snippet is complete, used when the kernel cannot tell (not
 * started yet, no answer in time, UNKNOWN): brackets and quotes must balance; in Python a trailing
 * {@code :} or {@code \} continues, and an indented block ends with a blank line; in the brace languages an
 * open {@code {} continues.
 */
final class LocalCompleteness {
    private LocalCompleteness() {}

    static Completeness judge(Language language, String code) {
        if (code.isBlank()) {
            return new Completeness(Status.COMPLETE, "");
        }
        Scan scan = scan(language, code);
        if (scan.unbalanced) {
            return new Completeness(Status.INVALID, "");
        }
        if (scan.depth > 0 || scan.openString) {
            return new Completeness(Status.INCOMPLETE, "");
        }
        String trimmed = stripTrailingSpace(code);
        if (trimmed.endsWith("\\")) {
            return new Completeness(Status.INCOMPLETE, "");
        }
        if (language == Language.PYTHON) {
            return python(code, trimmed);
        }
        return new Completeness(Status.COMPLETE, "");
    }

    private static Completeness python(String code, String trimmed) {
        String[] lines = code.split("\n", -1);
        String last = lines[lines.length - 1];
        if (trimmed.endsWith(":")) {
            return new Completeness(Status.INCOMPLETE, leadingSpace(lastNonBlank(lines)) + "    ");
        }
        // An indented block (opened by a line ending in ':') runs until a blank line, as in the Python REPL.
        boolean blockOpen = false;
        for (String line : lines) {
            if (stripTrailingSpace(line).endsWith(":")) {
                blockOpen = true;
            }
        }
        if (blockOpen && lines.length > 1 && !last.isBlank()) {
            return new Completeness(Status.INCOMPLETE, leadingSpace(last));
        }
        return new Completeness(Status.COMPLETE, "");
    }

    private record Scan(int depth, boolean openString, boolean unbalanced) {}

    /** Counts brackets outside strings and comments; knows Python's triple quotes and line comments. */
    private static Scan scan(Language language, String code) {
        int depth = 0;
        boolean unbalanced = false;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '#' && (language == Language.PYTHON || language == Language.R)) {
                while (i < n && code.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '/' && i + 1 < n && language != Language.PYTHON && language != Language.R) {
                char d = code.charAt(i + 1);
                if (d == '/') {
                    while (i < n && code.charAt(i) != '\n') i++;
                    continue;
                }
                if (d == '*') {
                    int end = code.indexOf("*/", i + 2);
                    if (end < 0) return new Scan(depth, true, unbalanced);
                    i = end + 2;
                    continue;
                }
            }
            if (c == '"' || c == '\'' || (c == '`' && language != Language.PYTHON)) {
                String quote = String.valueOf(c);
                boolean triple = (language == Language.PYTHON || language == Language.JAVA)
                        && code.startsWith(quote.repeat(3), i);
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
                    if (e == '\n' && !triple && c != '`' && language != Language.R) {
                        break; // a one-line string cannot continue; the kernel will report the error
                    }
                    j++;
                }
                if (!closed && (triple || c == '`' || language == Language.R)) {
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

    private static String lastNonBlank(String[] lines) {
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) return lines[i];
        }
        return "";
    }

    private static String leadingSpace(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return line.substring(0, i);
    }

    private static String stripTrailingSpace(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }
}
