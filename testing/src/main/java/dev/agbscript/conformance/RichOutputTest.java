package dev.agbscript.conformance;

import dev.agbscript.session.Language;
import dev.agbscript.engine.AgbScriptEngine;
import dev.agbscript.engine.JavaScriptEngineFactory;
import dev.agbscript.engine.PythonEngineFactory;
import dev.agbscript.engine.REngineFactory;
import dev.agbscript.testing.Kernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agbscript.session.ExecutionResult;
import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.ValueJson;
import dev.agbscript.session.SessionManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.script.ScriptContext;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Every output format of the seeds, per language, arriving in the right field of the result: plots as PNGs of
 * the plotted size, tables as HTML with their cells, SVG that parses, Markdown, LaTeX, JSON documents, charts;
 * display outputs apart from the main result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RichOutputTest {
    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
            + "<circle cx=\"5\" cy=\"5\" r=\"4\"/></svg>";
    private static final String VEGA_LITE = "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v5.json\", "
            + "\"mark\": \"bar\", \"data\": {\"values\": [{\"a\": 1}]}}";

    @RegisterExtension
    static final Kernels kernels = new Kernels();
    private SessionManager manager;

    @BeforeAll
    void startManager() {
        manager = kernels.manager();
    }


    @Test
    void python() throws Exception {
        AgbScriptEngine python = new PythonEngineFactory().getScriptEngine(manager);
        python.eval("%config InlineBackend.print_figure_kwargs = {'bbox_inches': None}");
        ExecutionResult plot = run(python, "import matplotlib.pyplot as plt\n"
                + "plt.figure(figsize=(4, 3), dpi=50)\nplt.plot([1, 3, 2])\nplt.show()");
        assertPng(display(plot, MimeBundle::png), 200, 150);

        ExecutionResult table = run(python, "import pandas as pd\n"
                + "pd.DataFrame({'city': ['Oslo', 'Lima'], 'people': [709000, 10000000]})");
        assertTableCells(table.mainResult().orElseThrow().html());

        ExecutionResult displays = run(python, "from IPython.display import display, Markdown, Latex, JSON, SVG\n"
                + "display(Markdown('# Title *x*'))\ndisplay(Latex(r'$\\frac{a}{b}$'))\n"
                + "display(JSON({'a': [1, 2]}))\ndisplay(SVG('" + SVG + "'))\n"
                + "display({'application/vnd.vegalite.v5+json': " + VEGA_LITE + "}, raw=True)\n'main'");
        assertDisplays(displays, "# Title *x*", "\\frac{a}{b}", Map.of("a", List.of(1L, 2L)));
    }

    @Test
    void r() throws Exception {
        AgbScriptEngine r = new REngineFactory().getScriptEngine(manager);
        // IRkernel reads the plot options when it draws; they must be set in an earlier cell
        r.eval("options(repr.plot.width = 4, repr.plot.height = 3, repr.plot.res = 50)");
        ExecutionResult plot = run(r, "plot(c(1, 3, 2), type = 'l')");
        assertPng(display(plot, MimeBundle::png), 200, 150);

        ExecutionResult table = run(r, "data.frame(city = c('Oslo', 'Lima'), people = c(709000, 10000000))");
        assertTableCells(table.mainResult().orElseThrow().html());

        ExecutionResult displays = run(r, "IRdisplay::display_markdown('# Title *x*')\n"
                + "IRdisplay::display_latex('$\\\\frac{a}{b}$')\n"
                + "IRdisplay::display_json('{\"a\": [1, 2]}')\n" // sent as a JSON string: normalized
                + "IRdisplay::display_svg('" + SVG + "')\n"
                + "IRdisplay::publish_mimebundle(list('application/vnd.vegalite.v5+json' = jsonlite::fromJSON('"
                + VEGA_LITE + "', simplifyVector = FALSE)))\n'main'");
        assertDisplays(displays, "# Title *x*", "\\frac{a}{b}", Map.of("a", List.of(1L, 2L)));
    }

    @Test
    void javaScript() throws Exception {
        BufferedImage image = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AgbScriptEngine js = new JavaScriptEngineFactory().getScriptEngine(manager);
        // The picture's bytes in the code itself: any backend, no file of the host's
        ExecutionResult picture = run(js, "display.png(Buffer.from('"
                + java.util.Base64.getEncoder().encodeToString(png.toByteArray()) + "', 'base64'))");
        assertPng(display(picture, MimeBundle::png), 20, 10);

        ExecutionResult table = run(js, "display.html('<table><tr><td>Oslo</td><td>709000</td></tr>"
                + "<tr><td>Lima</td><td>10000000</td></tr></table>')");
        assertTableCells(display(table, MimeBundle::html));

        ExecutionResult displays = run(js, "display.markdown('# Title *x*')\n"
                + "display.latex('$\\\\frac{a}{b}$')\ndisplay.json({a: [1, 2]})\ndisplay.svg('" + SVG + "')\n"
                + "display.vegalite(" + VEGA_LITE + ")\n'main'");
        assertDisplays(displays, "# Title *x*", "\\frac{a}{b}", Map.of("a", List.of(1L, 2L)));
    }

    private static ExecutionResult run(AgbScriptEngine engine, String code) throws ScriptException {
        ScriptContext context = new SimpleScriptContext();
        context.setWriter(new StringWriter());
        context.setErrorWriter(new StringWriter());
        ExecutionResult result = engine.execute(code, context);
        assertTrue(result.success(), result.toString());
        return result;
    }

    /** The one display output that has the field; never the main result. */
    private static String display(ExecutionResult result, Function<MimeBundle, String> field) {
        List<String> found = result.results().stream().filter(b -> !b.isMainResult()).map(field)
                .filter(v -> v != null).toList();
        assertEquals(1, found.size(), result.results().toString());
        return found.get(0);
    }

    private static void assertPng(String base64, int width, int height) throws Exception {
        byte[] bytes = Base64.getMimeDecoder().decode(base64);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            assertEquals("png", reader.getFormatName().toLowerCase());
            reader.setInput(in);
            BufferedImage image = reader.read(0);
            assertEquals(width, image.getWidth());
            assertEquals(height, image.getHeight());
        }
    }

    private static void assertTableCells(String html) {
        assertNotNull(html);
        for (String cell : List.of("Oslo", "Lima", "709000", "10000000")) {
            assertTrue(html.contains(cell), cell + " is not in " + html);
        }
    }

    private static void assertDisplays(ExecutionResult result, String markdown, String latex, Map<String, Object> json)
            throws Exception {
        assertEquals(markdown, display(result, MimeBundle::markdown).strip());
        assertTrue(display(result, MimeBundle::latex).contains(latex), result.toString());
        assertEquals(json, ValueJson.parse(display(result, MimeBundle::json)));
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(display(result, MimeBundle::svg))));
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        Object chart = ValueJson.parse(display(result, MimeBundle::chart));
        assertEquals("bar", ((Map<?, ?>) chart).get("mark"));
        MimeBundle main = result.mainResult().orElseThrow();
        assertFalse(main.data().containsKey(MimeBundle.PNG));
        assertEquals("main", ValueJson.parse(main.valueJson()));
    }
}
