package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code text/html} reduced to readable text (blocks become lines, cells are separated by {@code |}, list
 * items get bullets, entities are decoded), followed by a note with the file the full HTML was saved to.
 */
final class HtmlRenderer implements MimeRenderer {
    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>|<!--.*?-->");
    /** Where a block starts or ends, and line breaks: each becomes a new line. */
    private static final Pattern LINE_BREAK = Pattern.compile("(?i)<br\\s*/?>|</?(p|div|tr|h[1-6]|table|thead"
            + "|tbody|pre|blockquote|ul|ol)\\b[^>]*>|</li\\s*>");
    private static final Pattern CELL_END = Pattern.compile("(?i)</t[dh]\\s*>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9a-fA-F]+);");
    private static final Map<String, String> ENTITIES = Map.of("&lt;", "<", "&gt;", ">", "&quot;", "\"",
            "&#39;", "'", "&apos;", "'", "&nbsp;", " ", "&amp;", "&");

    private final Styles styles;
    private final OutputFiles files;

    HtmlRenderer(Styles styles, OutputFiles files) {
        this.styles = styles;
        this.files = files;
    }

    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.html() != null && MimeRenderer.plainIsPlaceholder(bundle);
    }

    @Override
    public String render(MimeBundle bundle) throws IOException {
        Path saved = files.write("output", "html", bundle.html().getBytes(StandardCharsets.UTF_8));
        String text = toText(bundle.html());
        return (text.isEmpty() ? "" : text + "\n") + styles.dim("[full HTML saved to " + saved + "]");
    }

    static String toText(String html) {
        String s = INVISIBLE.matcher(html).replaceAll("");
        s = s.replaceAll("[\\r\\n]+", " ");
        s = LIST_ITEM.matcher(s).replaceAll("\n• ");
        s = CELL_END.matcher(s).replaceAll(" | ");
        s = LINE_BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = decode(s);
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String clean = line.replaceAll("[ \\t]+", " ").strip();
            if (clean.endsWith("|")) {
                clean = clean.substring(0, clean.length() - 1).strip();
            }
            if (!clean.isEmpty()) {
                out.append(clean).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static String decode(String s) {
        Matcher m = NUMERIC_ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int code = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
            m.appendReplacement(out, Matcher.quoteReplacement(new String(Character.toChars(code))));
        }
        m.appendTail(out);
        String decoded = out.toString();
        for (Map.Entry<String, String> entity : ENTITIES.entrySet()) {
            if (!entity.getKey().equals("&amp;")) {
                decoded = decoded.replace(entity.getKey(), entity.getValue());
            }
        }
        return decoded.replace("&amp;", "&"); // last, so "&amp;lt;" stays "&lt;"
    }
}
