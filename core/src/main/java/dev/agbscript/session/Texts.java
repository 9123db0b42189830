package dev.agbscript.session;

/** Short, safe previews of output content for {@code toString}: never megabytes of base64. */
final class Texts {
    private static final int MAX_PREVIEW = 80;

    private Texts() {}

    static String preview(String mimeType, String content) {
        if (content == null) {
            return "null";
        }
        if (mimeType.startsWith("image/png") || mimeType.startsWith("image/jpeg")) {
            return "<" + sizeOfBase64(content) + " bytes>";
        }
        return quote(content);
    }

    static String quote(String content) {
        String oneLine = content.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
        if (oneLine.length() > MAX_PREVIEW) {
            return "\"" + oneLine.substring(0, MAX_PREVIEW) + "…\" (" + content.length() + " chars)";
        }
        return "\"" + oneLine + "\"";
    }

    private static long sizeOfBase64(String base64) {
        long length = base64.chars().filter(c -> !Character.isWhitespace(c)).count();
        long padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return length * 3 / 4 - padding;
    }
}
