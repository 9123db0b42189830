package dev.agbscript.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where outputs a terminal cannot show are written (images, full HTML, chart specs): one directory per REPL
 * run, created on first need and kept after exit so the printed paths stay valid.
 */
final class OutputFiles {
    private final Path configured;
    private final Path temporaryBase;
    private final AtomicInteger counter = new AtomicInteger();
    private Path directory;

    private OutputFiles(Path configured, Path temporaryBase) {
        this.configured = configured;
        this.temporaryBase = temporaryBase;
    }

    /** Files in exactly this directory (created if need be). */
    static OutputFiles in(Path directory) {
        return new OutputFiles(directory, null);
    }

    /** Files in a new directory {@code agb-repl-*} under {@code $TMPDIR}, else the JVM's temporary folder. */
    static OutputFiles temporary(Map<String, String> env) {
        String tmpdir = env.get("TMPDIR");
        return new OutputFiles(null, Path.of(tmpdir != null && !tmpdir.isBlank() ? tmpdir
                : System.getProperty("java.io.tmpdir")));
    }

    /** Where the files go, for /help: the folder, or the pattern of the one that will be made. */
    synchronized String where() {
        return directory != null ? directory.toString()
                : configured != null ? configured.toString() : temporaryBase.resolve("agb-repl-*").toString();
    }

    /** Writes the bytes to a new file {@code <kind>-<n>.<extension>} and returns its path. */
    synchronized Path write(String kind, String extension, byte[] content) throws IOException {
        if (directory == null) {
            directory = configured != null ? Files.createDirectories(configured)
                    : Files.createTempDirectory(temporaryBase, "agb-repl-");
        }
        Path file = directory.resolve(kind + "-" + counter.incrementAndGet() + "." + extension);
        Files.write(file, content);
        return file;
    }
}
