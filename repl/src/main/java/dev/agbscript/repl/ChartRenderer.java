package dev.agbscript.repl;

import dev.agbscript.session.MimeBundle;
import dev.agbscript.session.ValueJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Vega or Vega-Lite chart summarized in one line (mark, title, encoded fields, number of data points),
 * with the file its specification was saved to.
 */
final class ChartRenderer implements MimeRenderer {
    private final Styles styles;
    private final OutputFiles files;

    ChartRenderer(Styles styles, OutputFiles files) {
        this.styles = styles;
        this.files = files;
    }

    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.chart() != null;
    }

    @Override
    public String render(MimeBundle bundle) throws IOException {
        String spec = bundle.chart();
        Path saved = files.write("chart", "vl.json", spec.getBytes(StandardCharsets.UTF_8));
        return styles.bold(summary(spec)) + "\n" + styles.dim("[chart specification saved to " + saved + "]");
    }

    static String summary(String spec) {
        Map<?, ?> chart;
        try {
            chart = ValueJson.parse(spec) instanceof Map<?, ?> map ? map : null;
        } catch (IllegalArgumentException e) {
            chart = null;
        }
        if (chart == null) {
            return "Chart (specification is not a JSON object)";
        }
        List<String> parts = new ArrayList<>();
        Object mark = chart.get("mark");
        parts.add(mark == null ? "chart" : text(mark instanceof Map<?, ?> m ? m.get("type") : mark) + " chart");
        Object title = chart.get("title");
        if (title != null) {
            parts.add("\"" + text(title instanceof Map<?, ?> t ? t.get("text") : title) + "\"");
        }
        if (chart.get("encoding") instanceof Map<?, ?> encoding) {
            List<String> channels = new ArrayList<>();
            encoding.forEach((name, value) -> {
                if (value instanceof Map<?, ?> channel && channel.containsKey("field")) {
                    String type = channel.containsKey("type") ? " (" + text(channel.get("type")) + ")" : "";
                    channels.add(name + "=" + text(channel.get("field")) + type);
                }
            });
            if (!channels.isEmpty()) {
                parts.add(String.join(", ", channels));
            }
        }
        if (chart.get("data") instanceof Map<?, ?> data && data.get("values") instanceof List<?> values) {
            parts.add(values.size() + " data points");
        }
        return "Chart: " + String.join("; ", parts);
    }

    private static String text(Object value) {
        return value == null ? "?" : value instanceof String s ? s : ValueJson.write(value);
    }
}
