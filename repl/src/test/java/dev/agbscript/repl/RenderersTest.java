package dev.agbscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.repl.TerminalCapabilities.ImageProtocol;
import dev.agbscript.session.ExecutionError;
import dev.agbscript.session.MimeBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each MIME type as a terminal shows it, with and without colors and image protocols. */
class RenderersTest {
    private static final Pattern SAVED = Pattern.compile("saved to (\\S+)]");

    @TempDir
    Path scratch;

    private static MimeBundle bundle(String... typesAndValues) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i < typesAndValues.length; i += 2) {
            data.put(typesAndValues[i], typesAndValues[i + 1]);
        }
        return new MimeBundle(data, true);
    }

    private OutputRenderer renderer(boolean color, ImageProtocol images) {
        return new OutputRenderer(new Styles(color), OutputFiles.in(scratch),
                new TerminalCapabilities(color, images, true, 100));
    }

    @Test
    void plainTextWinsOverRicherTypesUnlessItIsAPlaceholder() throws Exception {
        OutputRenderer plain = renderer(false, ImageProtocol.NONE);
        assertEquals("   a\n0  1", plain.render(bundle(MimeBundle.HTML, "<table></table>", MimeBundle.TEXT, "   a\n0  1")));
        assertEquals("Title", plain.render(bundle(MimeBundle.MARKDOWN, "# Title",
                MimeBundle.TEXT, "<IPython.core.display.Markdown object>")));
    }

    @Test
    void markdownGetsTerminalStylesAndLosesItsMarkers() {
        String markdown = "# Title\nSome **bold**, *italic* and `code`, a [link](http://x.org).\n- one\n```\nraw *x*\n```";
        MarkdownRenderer plain = new MarkdownRenderer(new Styles(false), 80);
        assertEquals("Title\nSome bold, italic and code, a link (http://x.org).\n  • one\n    raw *x*", plain.render(markdown));
        String styled = new MarkdownRenderer(new Styles(true), 80).render(markdown);
        assertTrue(styled.contains("\u001b[1mbold\u001b[0m"), styled);
        assertTrue(styled.contains("\u001b[3mitalic\u001b[0m"), styled);
    }

    @Test
    void jsonIsPrettyPrinted() throws Exception {
        assertEquals("{\n  \"k\": [\n    1,\n    2\n  ]\n}", renderer(false, ImageProtocol.NONE)
                .render(bundle(MimeBundle.JSON, "{\"k\":[1,2]}", MimeBundle.TEXT, "<IPython.core.display.JSON object>")));
    }

    @Test
    void htmlIsReducedToTextAndSavedWhole() throws Exception {
        String html = "<style>p{}</style><h1>Report</h1><p>a &amp; b &lt;3</p><ul><li>x</li></ul>"
                + "<table><tr><th>n</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>";
        String shown = renderer(false, ImageProtocol.NONE).render(bundle(MimeBundle.HTML, html));
        assertTrue(shown.startsWith("Report\na & b <3\n• x\nn | v\n1 | 2\n[full HTML saved to "), shown);
        Matcher saved = SAVED.matcher(shown);
        assertTrue(saved.find());
        assertEquals(html, Files.readString(Path.of(saved.group(1))));
    }

    @Test
    void htmlListItemsStartLinesOfTheirOwn() {
        assertEquals("bold\n• one\n• two\nafter", HtmlRenderer.toText("<b>bold</b><ul><li>one<li>two</ul>after"));
        assertEquals("Steps:\n• a\n• b", HtmlRenderer.toText("Steps:<ol>\n<li>a</li>\n<li>b</li>\n</ol>"));
    }

    @Test
    void chartsAreSummarized() throws Exception {
        String spec = "{\"title\":\"Sales\",\"mark\":{\"type\":\"bar\"},\"data\":{\"values\":[{\"a\":1},{\"a\":2}]},"
                + "\"encoding\":{\"x\":{\"field\":\"a\",\"type\":\"nominal\"},\"y\":{\"field\":\"b\"}}}";
        String shown = renderer(false, ImageProtocol.NONE).render(bundle(MimeBundle.CHART_TYPES[0], spec));
        assertTrue(shown.startsWith("Chart: bar chart; \"Sales\"; x=a (nominal), y=b; 2 data points\n"
                + "[chart specification saved to "), shown);
    }

    @Test
    void imagesGoToFilesAndInlineWhereTheTerminalCan() throws Exception {
        BufferedImage image = new BufferedImage(8, 7, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        MimeBundle plot = bundle(MimeBundle.PNG, Base64.getEncoder().encodeToString(png.toByteArray()),
                MimeBundle.TEXT, "<Figure size 640x480 with 1 Axes>");

        String none = renderer(false, ImageProtocol.NONE).render(plot);
        assertTrue(none.matches("\\[PNG image 8x7 saved to \\S+\\.png]"), none);
        assertTrue(renderer(true, ImageProtocol.KITTY).render(plot).startsWith("\u001b_Gf=100,a=T,m=0;"));
        assertTrue(renderer(true, ImageProtocol.ITERM2).render(plot).startsWith("\u001b]1337;File=inline=1;"));
        String sixel = renderer(true, ImageProtocol.SIXEL).render(plot);
        assertTrue(sixel.startsWith("\u001bPq\"1;1;8;7") && sixel.contains("\u001b\\"), sixel);
        String svg = renderer(true, ImageProtocol.KITTY).render(bundle(MimeBundle.SVG, "<svg/>"));
        assertTrue(svg.contains("SVG image saved to"), svg);
    }

    @Test
    void errorsShowTheRemoteTracebackInRedUnlessColorsAreOff() {
        ExecutionError error = new ExecutionError("ValueError", "bad", "Traceback\n  line 1\nValueError: bad");
        assertEquals("Traceback\n  line 1\nValueError: bad", new ErrorRenderer(new Styles(false)).render(error));
        String colored = new ErrorRenderer(new Styles(true)).render(error);
        assertTrue(colored.contains("\u001b[1;31mValueError: bad\u001b[0m"), colored);
        assertEquals("ValueError: bad", new ErrorRenderer(new Styles(false)).render(new ExecutionError("ValueError", "bad", "")));
    }

    @Test
    void terminalCapabilitiesComeFromTheEnvironment() {
        assertFalse(TerminalCapabilities.detect(Map.of("NO_COLOR", "1"), "xterm-256color", true, 80).color());
        assertTrue(TerminalCapabilities.detect(Map.of("NO_COLOR", ""), "xterm-256color", true, 80).color());
        assertFalse(TerminalCapabilities.detect(Map.of(), "dumb", true, 80).color());
        assertFalse(TerminalCapabilities.detect(Map.of(), "xterm", false, 80).color());
        assertEquals(ImageProtocol.KITTY, TerminalCapabilities.detect(Map.of("KITTY_WINDOW_ID", "1"), "xterm-kitty", true, 80).images());
        assertEquals(ImageProtocol.ITERM2, TerminalCapabilities.detect(Map.of("TERM_PROGRAM", "iTerm.app"), "xterm", true, 80).images());
        assertEquals(ImageProtocol.SIXEL, TerminalCapabilities.detect(Map.of("TERM", "mlterm"), "mlterm", true, 80).images());
        assertEquals(ImageProtocol.NONE, TerminalCapabilities.detect(Map.of("TERM", "xterm-kitty", "TMUX", "/tmp/x"), "screen", true, 80).images());
        assertEquals(ImageProtocol.NONE, TerminalCapabilities.detect(Map.of("KITTY_WINDOW_ID", "1"), "dumb", true, 80).images());
    }

    @Test
    void historyAndLogFollowXdg() {
        assertEquals(new StateFiles(Path.of("/state/agb-script/history"), Path.of("/state/agb-script/repl.log")),
                StateFiles.of(Map.of("XDG_STATE_HOME", "/state"), "/home/u"));
        assertEquals(Path.of("/home/u/.local/state/agb-script/history"), StateFiles.of(Map.of(), "/home/u").history());
        StateFiles overridden = StateFiles.of(Map.of("AGB_HISTORY_FILE", "/t/h", "AGB_LOG_FILE", "/t/l",
                "XDG_STATE_HOME", "/s"), "/home/u");
        assertEquals(new StateFiles(Path.of("/t/h"), Path.of("/t/l")), overridden);
    }
}
