package dev.agbscript.cloud;

import com.google.gson.JsonObject;
import dev.agbscript.session.SessionFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a cloud session's working folder, through the AGB file tools the SDK uses
 * ({@code file_system.py}): {@code write_file} (text, in 50 KB chunks: overwrite, then append),
 * {@code create_directory} for the folders, {@code get_file_info} then {@code read_file} with
 * {@code format:"binary"} (base64, 50 KB chunks by offset and length), {@code list_directory}
 * ({@code [DIR]}/{@code [FILE]} lines). Paths arrive checked by {@link SessionFiles#checkRelative} and are
 * resolved against the working folder ({@link CloudConfig#workDir()}), since the tools take absolute paths.
 *
 * <p>The service's {@code write_file} takes text only, so bytes that are not UTF-8 cannot be written this way
 * (the SDK moves binary files in through context storage and pre-signed URLs, which this backend lacks).
 */
final class CloudFiles {
    /** The SDK's chunk size for reads and writes. */
    static final int CHUNK = 50 * 1024;

    /** What the files need of a session: one tool call. */
    interface Tools {
        AgbClient.ToolText call(String tool, JsonObject args, Duration wait) throws InterruptedException;
    }

    private final String workDir;
    private final Duration wait;

    CloudFiles(String workDir, Duration wait) {
        this.workDir = workDir;
        this.wait = wait;
    }

    /** The absolute path in the session of a checked relative path ("" is the working folder). */
    String absolute(String relative) {
        return relative.isEmpty() ? workDir : (workDir.equals("/") ? "" : workDir) + "/" + relative;
    }

    void write(Tools tools, String path, byte[] content) throws InterruptedException {
        String text = utf8(path, content);
        int slash = path.lastIndexOf('/');
        tools.call("create_directory", args("path", absolute(slash < 0 ? "" : path.substring(0, slash))), wait);
        String target = absolute(path);
        int offset = 0;
        String mode = "overwrite";
        do {
            int end = chunkEnd(text, offset);
            JsonObject args = args("path", target);
            args.addProperty("content", text.substring(offset, end));
            args.addProperty("mode", mode);
            tools.call("write_file", args, wait);
            offset = end;
            mode = "append";
        } while (offset < text.length());
    }

    byte[] read(Tools tools, String path) throws InterruptedException {
        String target = absolute(path);
        Map<String, String> info = info(tools, target);
        if (Boolean.parseBoolean(info.get("isDirectory"))) {
            throw new AgbToolException("read_file failed: " + path + " is a folder", null);
        }
        long size = size(info);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        for (long offset = 0; offset < size; offset += CHUNK) {
            JsonObject args = args("path", target);
            args.addProperty("offset", offset);
            args.addProperty("length", Math.min(CHUNK, size - offset));
            args.addProperty("format", "binary");
            AgbClient.ToolText chunk = tools.call("read_file", args, wait);
            try {
                bytes.writeBytes(Base64.getMimeDecoder().decode(chunk.text().strip()));
            } catch (IllegalArgumentException e) {
                throw new AgbProtocolException("read_file of " + path + " returned data that is not base64",
                        chunk.requestId());
            }
        }
        return bytes.toByteArray();
    }

    List<SessionFiles.FileEntry> list(Tools tools, String folder) throws InterruptedException {
        String listing = tools.call("list_directory", args("path", absolute(folder)), wait).text();
        List<SessionFiles.FileEntry> entries = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String trimmed = line.strip();
            boolean isFolder = trimmed.startsWith("[DIR]");
            if (!isFolder && !trimmed.startsWith("[FILE]")) {
                continue; // not an entry line, as the SDK skips it
            }
            String name = trimmed.substring(isFolder ? 5 : 6).strip();
            String relative = folder.isEmpty() ? name : folder + "/" + name;
            // list_directory gives no sizes: one get_file_info per file.
            long size = isFolder ? 0 : size(info(tools, absolute(relative)));
            entries.add(new SessionFiles.FileEntry(relative, size, isFolder));
        }
        entries.sort(Comparator.comparing(SessionFiles.FileEntry::path));
        return entries;
    }

    /** {@code get_file_info}: {@code key: value} lines, e.g. {@code size: 12}, {@code isDirectory: false}. */
    private Map<String, String> info(Tools tools, String target) throws InterruptedException {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : tools.call("get_file_info", args("path", target), wait).text().split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return info;
    }

    private static long size(Map<String, String> info) {
        try {
            return (long) Double.parseDouble(info.getOrDefault("size", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String utf8(String path, byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new UnsupportedOperationException("The AGB cloud cannot write binary files (writeFile of '" + path
                    + "': the content is not UTF-8 text, and the service's write_file tool takes text only)");
        }
    }

    /** Where a chunk of at most {@link #CHUNK} characters ends, never inside a surrogate pair. */
    private static int chunkEnd(String text, int offset) {
        int end = Math.min(text.length(), offset + CHUNK);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static JsonObject args(String key, String value) {
        JsonObject args = new JsonObject();
        args.addProperty(key, value);
        return args;
    }
}
