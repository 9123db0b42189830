package dev.agbscript.repl;

import dev.agbscript.repl.TerminalCapabilities.ImageProtocol;
import dev.agbscript.session.MimeBundle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * PNG, JPEG and SVG images. Every image is written to a file whose path is printed; on terminals with an
 * image protocol (kitty, iTerm2, sixel) PNG and JPEG are also drawn inline. SVG is never drawn inline: no
 * terminal protocol takes vectors.
 */
final class ImageRenderer implements MimeRenderer {
    private static final int KITTY_CHUNK = 4096;

    private final Styles styles;
    private final OutputFiles files;
    private final ImageProtocol protocol;

    ImageRenderer(Styles styles, OutputFiles files, ImageProtocol protocol) {
        this.styles = styles;
        this.files = files;
        this.protocol = protocol;
    }

    @Override
    public boolean accepts(MimeBundle bundle) {
        return bundle.png() != null || bundle.jpeg() != null || bundle.svg() != null;
    }

    @Override
    public String render(MimeBundle bundle) throws IOException {
        if (bundle.png() == null && bundle.jpeg() == null) {
            Path saved = files.write("image", "svg", bundle.svg().getBytes(StandardCharsets.UTF_8));
            return styles.dim("[SVG image saved to " + saved + "]");
        }
        boolean png = bundle.png() != null;
        byte[] bytes = Base64.getMimeDecoder().decode(png ? bundle.png() : bundle.jpeg());
        Path saved = files.write("image", png ? "png" : "jpg", bytes);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        String size = image == null ? "" : " " + image.getWidth() + "x" + image.getHeight();
        String note = styles.dim("[" + (png ? "PNG" : "JPEG") + " image" + size + " saved to " + saved + "]");
        String inline = image == null ? "" : inline(image, png ? bytes : null);
        return inline.isEmpty() ? note : inline + "\n" + note;
    }

    private String inline(BufferedImage image, byte[] pngBytes) throws IOException {
        return switch (protocol) {
            case KITTY -> kitty(pngBytes != null ? pngBytes : toPng(image));
            case ITERM2 -> iterm2(pngBytes != null ? pngBytes : toPng(image));
            case SIXEL -> SixelEncoder.encode(image);
            case NONE -> "";
        };
    }

    /** kitty graphics protocol: base64 PNG in chunks of 4096, {@code m=1} on all but the last. */
    static String kitty(byte[] png) {
        String data = Base64.getEncoder().encodeToString(png);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < data.length(); i += KITTY_CHUNK) {
            String chunk = data.substring(i, Math.min(data.length(), i + KITTY_CHUNK));
            boolean more = i + KITTY_CHUNK < data.length();
            out.append("\u001b_G").append(i == 0 ? "f=100,a=T," : "").append("m=").append(more ? 1 : 0)
                    .append(';').append(chunk).append("\u001b\\");
        }
        return out.toString();
    }

    /** iTerm2's inline image escape (also understood by WezTerm). */
    static String iterm2(byte[] png) {
        return "\u001b]1337;File=inline=1;size=" + png.length + ":" + Base64.getEncoder().encodeToString(png) + "\u0007";
    }

    private static byte[] toPng(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
