package dev.agbscript.jshell.agent;

import dev.agbscript.session.ValueJson;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Rich output for Java snippets in the agb-java kernel. Every snippet sees {@code display} without an
 * import (the kernel imports it statically at start):
 *
 * <pre>{@code
 * display.html("<b>bold</b>");
 * display.markdown("# Title");
 * display.svg("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>");
 * display.png(bufferedImage);          // or display.png(pngBytes)
 * display.json(Map.of("a", 1));        // any JSON-representable value
 * display.latex("$x^2$");
 * display.mime("text/csv", "a,b\n1,2");
 * display(bufferedImage);              // a PNG; other values as text/plain
 * }</pre>
 *
 * Each call sends one {@code display_data} output, in order with what the snippet prints.
 */
public final class Display {
    /** The instance snippets use: {@code display.html(...)}. */
    public static final Display display = new Display();

    private Display() {}

    /** Shows a value: a {@link RenderedImage} as PNG, anything else as its text. */
    public static void display(Object value) {
        if (value instanceof RenderedImage) {
            display.png((RenderedImage) value);
        } else {
            display.mime("text/plain", String.valueOf(value));
        }
    }

    public void html(String html) {
        mime("text/html", html);
    }

    public void markdown(String markdown) {
        mime("text/markdown", markdown);
    }

    public void svg(String svg) {
        mime("image/svg+xml", svg);
    }

    public void latex(String latex) {
        mime("text/latex", latex);
    }

    /** A PNG from its bytes. */
    public void png(byte[] png) {
        mime("image/png", Base64.getEncoder().encodeToString(png));
    }

    /** A PNG of the image. */
    public void png(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalArgumentException("ImageIO cannot write this image as PNG");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        png(bytes.toByteArray());
    }

    /** A JPEG from its bytes. */
    public void jpeg(byte[] jpeg) {
        mime("image/jpeg", Base64.getEncoder().encodeToString(jpeg));
    }

    /**
     * An {@code application/json} output of a JSON-representable value (null, booleans, numbers, strings,
     * arrays, collections, maps with String keys).
     */
    public void json(Object value) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("application/json", new RawJson(ValueJson.write(value)));
        data.put("text/plain", String.valueOf(value));
        send(data);
    }

    /** An output of any MIME type; binary types (images) must be given as base64. */
    public void mime(String mimeType, String data) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(mimeType, data);
        send(bundle);
    }

    /** An output with several representations at once, e.g. text/html plus text/plain. */
    public void bundle(Map<String, String> data) {
        send(new LinkedHashMap<>(data));
    }

    private static void send(Map<String, Object> data) {
        StringBuilder payload = new StringBuilder("{\"data\":{");
        boolean first = true;
        for (Map.Entry<String, Object> entry : data.entrySet()) {
            if (!first) {
                payload.append(',');
            }
            first = false;
            payload.append(ValueJson.write(entry.getKey()));
            payload.append(':');
            Object value = entry.getValue();
            if (value instanceof RawJson) {
                payload.append(((RawJson) value).json);
            } else {
                payload.append(ValueJson.write(String.valueOf(value)));
            }
        }
        payload.append("},\"metadata\":{}}");
        HostChannel.send(HostChannel.DISPLAY, payload.toString());
    }

    /** A JSON document embedded as it is, not as a string. */
    private static final class RawJson {
        final String json;

        RawJson(String json) {
            this.json = json;
        }
    }
}
