package dev.agbscript.session;

import java.util.List;

/**
 * The files of a session's working folder, from the host: how data goes in and plots come out now that the
 * code cannot see host paths. Paths are relative to the working folder and use {@code /}; an absolute path or
 * one that climbs out with {@code ..} is refused with {@link IllegalArgumentException}. A backend that lacks an
 * operation throws {@link UnsupportedOperationException} naming it.
 */
public interface SessionFiles {
    /** Writes the file, replacing it, creating its folders. */
    void write(String path, byte[] content);

    /** The file's bytes. @throws SessionException when there is no such file */
    byte[] read(String path);

    /** The entries of a folder ({@code ""} or {@code "."} for the working folder itself), sorted by name. */
    List<FileEntry> list(String folder);

    /** One entry of a folder: its path relative to the working folder, its size in bytes, whether it is a folder. */
    record FileEntry(String path, long size, boolean folder) {}

    /**
     * The path, normalized ({@code a/./b} → {@code a/b}); refuses absolute paths and paths that leave the
     * working folder. Backends call it before they touch anything.
     */
    static String checkRelative(String path) {
        if (path == null) {
            throw new NullPointerException("path is null");
        }
        if (path.startsWith("/") || path.startsWith("\\")) {
            throw new IllegalArgumentException("'" + path + "' is absolute; paths are relative to the session's "
                    + "working folder");
        }
        StringBuilder normal = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("'" + path + "' leaves the session's working folder");
            }
            normal.append(normal.length() == 0 ? "" : "/").append(part);
        }
        return normal.toString();
    }
}
