package dev.agbscript.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One output of an execution: a MIME bundle as Jupyter and the AGB SDK deliver it, either the main
 * result (the value of the cell's last expression) or a display output (a plot, a displayed table).
 *
 * <p>Every value is text: plain strings as they are, images as base64, JSON as a JSON document (a
 * kernel that sends {@code application/json} as a JSON-encoded string is normalized to the document).
 */
public final class MimeBundle {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String SVG = "image/svg+xml";
    public static final String LATEX = "text/latex";
    public static final String JSON = "application/json";
    /** Chart MIME types whose JSON becomes {@link #chart()}, in order of preference. */
    public static final String[] CHART_TYPES = {
        "application/vnd.vegalite.v5+json", "application/vnd.vegalite.v4+json", "application/vnd.vega.v5+json"
    };
    /**
     * The value protocol of agb-script: the kernel prelude adds this type to a main result whose value
     * is JSON-representable, so hosts get typed values back. It is not part of {@link #data()}.
     */
    public static final String AGB_VALUE = "application/vnd.agb.value+json";
    /**
     * What a namespace's code left (see {@link Prelude}): the display the prelude publishes after an eval in a
     * namespace, which the engine writes into the Bindings object and keeps from the host.
     */
    public static final String AGB_NAMESPACE = "application/vnd.agb.namespace+json";

    private final Map<String, String> data;
    private final String value;
    private final boolean mainResult;

    public MimeBundle(Map<String, String> data, boolean mainResult) {
        Map<String, String> copy = new LinkedHashMap<>(Objects.requireNonNull(data, "data"));
        String encodedValue = copy.remove(AGB_VALUE);
        this.value = mainResult ? encodedValue : null;
        this.data = Collections.unmodifiableMap(copy);
        this.mainResult = mainResult;
    }

    /** This output without that MIME type (the value protocol's type cannot be taken out: it is no data). */
    public MimeBundle without(String mimeType) {
        if (!data.containsKey(mimeType)) {
            return this;
        }
        Map<String, String> rest = new LinkedHashMap<>(data);
        rest.remove(mimeType);
        if (value != null) {
            rest.put(AGB_VALUE, value);
        }
        return new MimeBundle(rest, mainResult);
    }

    /** Its size in characters: every MIME type's data, and the value. */
    public long size() {
        long size = value == null ? 0 : value.length();
        for (String content : data.values()) {
            size += content == null ? 0 : content.length();
        }
        return size;
    }

    /** All MIME types of this output, in the order the kernel sent them. */
    public Map<String, String> data() {
        return data;
    }

    public String get(String mimeType) {
        return data.get(mimeType);
    }

    public String text() { return data.get(TEXT); }
    public String html() { return data.get(HTML); }
    public String markdown() { return data.get(MARKDOWN); }
    /** Base64 of the PNG. */
    public String png() { return data.get(PNG); }
    /** Base64 of the JPEG. */
    public String jpeg() { return data.get(JPEG); }
    public String svg() { return data.get(SVG); }
    public String latex() { return data.get(LATEX); }
    /** The {@code application/json} document. */
    public String json() { return data.get(JSON); }

    /** A Vega or Vega-Lite specification, as JSON, when the output is a chart. */
    public String chart() {
        for (String type : CHART_TYPES) {
            if (data.containsKey(type)) {
                return data.get(type);
            }
        }
        return null;
    }

    /** The JSON form of the main result's value when the kernel could encode it, else {@code null}. */
    public String valueJson() {
        return value;
    }

    /** True for the value of the last expression; false for display outputs. */
    public boolean isMainResult() {
        return mainResult;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(mainResult ? "MimeBundle{main" : "MimeBundle{display");
        data.forEach((type, content) -> s.append(", ").append(type).append('=').append(Texts.preview(type, content)));
        return s.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimeBundle other && other.mainResult == mainResult && other.data.equals(data)
                && Objects.equals(other.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(data, value, mainResult);
    }
}
