package dev.agbscript.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where outputs a terminal cannot show are written (images, full HTML, chart specs): one directory per REPL
 * run, created on first need and kept after exit so the printed paths stay valid.
 */
final class OutputFiles {
    private final Path configured;
    private final AtomicInteger counter = new AtomicInteger();
    private Path directory;

    /** @param directory where to write, or null for a new temporary directory */
    OutputFiles(Path directory) {
        this.configured = directory;
    }

    /** Writes the bytes to a new file {@code <kind>-<n>.<extension>} and returns its path. */
    synchronized Path write(String kind, String extension, byte[] content) throws IOException {
        if (directory == null) {
            directory = configured != null ? Files.createDirectories(configured)
                    : Files.createTempDirectory("agb-repl-");
        }
        Path file = directory.resolve(kind + "-" + counter.incrementAndGet() + "." + extension);
        Files.write(file, content);
        return file;
    }
}
