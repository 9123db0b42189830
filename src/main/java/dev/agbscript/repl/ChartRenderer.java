package dev.agbscript.repl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.agbscript.session.MimeBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        JsonObject chart;
        try {
            chart = JsonParser.parseString(spec).getAsJsonObject();
        } catch (RuntimeException e) {
            return "Chart (specification is not a JSON object)";
        }
        List<String> parts = new ArrayList<>();
        JsonElement mark = chart.get("mark");
        if (mark != null) {
            parts.add((mark.isJsonObject() ? string(mark.getAsJsonObject().get("type")) : string(mark)) + " chart");
        } else {
            parts.add("chart");
        }
        JsonElement title = chart.get("title");
        if (title != null) {
            parts.add("\"" + (title.isJsonObject() ? string(title.getAsJsonObject().get("text")) : string(title)) + "\"");
        }
        if (chart.get("encoding") instanceof JsonObject encoding) {
            List<String> channels = new ArrayList<>();
            encoding.entrySet().forEach(entry -> {
                if (entry.getValue() instanceof JsonObject channel && channel.has("field")) {
                    String type = channel.has("type") ? " (" + string(channel.get("type")) + ")" : "";
                    channels.add(entry.getKey() + "=" + string(channel.get("field")) + type);
                }
            });
            if (!channels.isEmpty()) {
                parts.add(String.join(", ", channels));
            }
        }
        if (chart.get("data") instanceof JsonObject data && data.get("values") != null
                && data.get("values").isJsonArray()) {
            parts.add(data.getAsJsonArray("values").size() + " data points");
        }
        return "Chart: " + String.join("; ", parts);
    }

    private static String string(JsonElement element) {
        return element == null || element.isJsonNull() ? "?"
                : element.isJsonPrimitive() ? element.getAsString() : element.toString();
    }
}
