package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code text/markdown} with terminal styles: headings bold (level 1 also underlined), bold, italic, inline
 * code and fenced blocks in cyan, bullets as {@code •}, links as {@code text (url)}, rules as a line.
 * Without colors the markers are removed all the same, leaving clean text.
 */
final class MarkdownRenderer implements MimeRenderer {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*+]\\s+(.*)$");
    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern BOLD = Pattern.compile("(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1");
    private static final Pattern ITALIC = Pattern.compile("(?<![*\\w])([*_])(?=\\S)(.+?)(?<=\\S)\\1(?![*\\w])");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private final Styles styles;
    private final int width;

    MarkdownRenderer(Styles styles, int width) {
        this.styles = styles;
        this.width = width;
    }

    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.markdown() != null && MimeRenderer.plainIsPlaceholder(bundle);
    }

    @Override
    public String render(MimeBundle bundle) {
        return render(bundle.markdown());
    }

    String render(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean inFence = false;
        for (String line : markdown.strip().split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                out.append("    ").append(styles.cyan(line)).append('\n');
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            Matcher bullet = BULLET.matcher(line);
            if (heading.matches()) {
                String text = inline(heading.group(2));
                out.append(heading.group(1).length() == 1 ? styles.bold(styles.underline(text)) : styles.bold(text));
            } else if (line.strip().matches("([-*_])\\s*(\\1\\s*){2,}")) {
                out.append(styles.dim("─".repeat(Math.min(width, 60))));
            } else if (bullet.matches()) {
                out.append(bullet.group(1)).append("  • ").append(inline(bullet.group(2)));
            } else if (line.startsWith(">")) {
                out.append(styles.dim("│ ")).append(styles.italic(inline(line.substring(1).strip())));
            } else {
                out.append(inline(line));
            }
            out.append('\n');
        }
        return PlainTextRenderer.stripNewline(out.toString());
    }

    private String inline(String text) {
        String s = replace(CODE, text, m -> styles.cyan(m.group(1)));
        s = replace(LINK, s, m -> styles.underline(m.group(1)) + " (" + m.group(2) + ")");
        s = replace(BOLD, s, m -> styles.bold(m.group(2)));
        return replace(ITALIC, s, m -> styles.italic(m.group(2)));
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
