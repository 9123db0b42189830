package dev.agbscript.repl;

import java.awt.image.BufferedImage;

/**
 * Encodes an image as DEC sixel graphics with a fixed 6×6×6 color cube (216 registers): simple, no
 * dithering, good enough for plots. Transparent pixels are drawn white, as plots expect.
 */
final class SixelEncoder {
    private SixelEncoder() {}

    static String encode(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] index = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                int alpha = argb >>> 24;
                int r = blend((argb >> 16) & 0xff, alpha);
                int g = blend((argb >> 8) & 0xff, alpha);
                int b = blend(argb & 0xff, alpha);
                index[y * width + x] = level(r) * 36 + level(g) * 6 + level(b);
            }
        }
        StringBuilder out = new StringBuilder("\u001bPq\"1;1;").append(width).append(';').append(height);
        for (int c = 0; c < 216; c++) {
            out.append('#').append(c).append(";2;").append(c / 36 * 20).append(';').append(c / 6 % 6 * 20)
                    .append(';').append(c % 6 * 20);
        }
        for (int band = 0; band < height; band += 6) {
            boolean[] used = new boolean[216];
            for (int y = band; y < Math.min(height, band + 6); y++) {
                for (int x = 0; x < width; x++) used[index[y * width + x]] = true;
            }
            for (int c = 0; c < 216; c++) {
                if (!used[c]) continue;
                out.append('#').append(c);
                char previous = 0;
                int run = 0;
                for (int x = 0; x < width; x++) {
                    int bits = 0;
                    for (int dy = 0; dy < 6 && band + dy < height; dy++) {
                        if (index[(band + dy) * width + x] == c) bits |= 1 << dy;
                    }
                    char sixel = (char) ('?' + bits);
                    if (sixel == previous) {
                        run++;
                    } else {
                        appendRun(out, previous, run);
                        previous = sixel;
                        run = 1;
                    }
                }
                appendRun(out, previous, run);
                out.append('$'); // back to the start of the band for the next color
            }
            out.append('-'); // next band
        }
        return out.append("\u001b\\").toString();
    }

    private static void appendRun(StringBuilder out, char sixel, int run) {
        if (run == 0) return;
        if (run > 3) {
            out.append('!').append(run).append(sixel);
        } else {
            out.append(String.valueOf(sixel).repeat(run));
        }
    }

    private static int blend(int channel, int alpha) {
        return (channel * alpha + 255 * (255 - alpha)) / 255;
    }

    /** 0..5, the nearest of the cube's six levels 0, 20, 40, 60, 80, 100 percent. */
    private static int level(int channel) {
        return (channel * 5 + 127) / 255;
    }
}
