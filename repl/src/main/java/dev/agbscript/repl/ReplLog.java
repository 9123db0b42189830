package dev.agbscript.repl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Where the REPL's java.util.logging records go: a file, never the screen, where they landed in the middle of
 * a prompt or a spinner. What a person must know the REPL says itself, in its own words.
 */
final class ReplLog {
    /** A log larger than this is moved aside to {@code <name>.1} when a REPL starts. */
    private static final long ROTATE_SIZE = 1 << 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private ReplLog() {}

    /**
     * Sends every record of INFO and above to the end of the file, and none anywhere else.
     *
     * @return why the file cannot be written, when it cannot (the records are then dropped)
     */
    static Optional<String> writeTo(Path file) {
        LogManager.getLogManager().reset(); // removes the console handler
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.isRegularFile(file) && Files.size(file) > ROTATE_SIZE) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            // appending writes, no lock file: REPLs running at the same time share the log
            StreamHandler handler = new StreamHandler(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), new OneLine()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            handler.setLevel(Level.INFO);
            root.addHandler(handler);
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** {@code 2024-05-01 12:00:00.000 WARNING dev.agbscript.local.LocalKernel: message}, then any stack trace. */
    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(TIME.format(Instant.ofEpochMilli(record.getMillis())))
                    .append(' ').append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ")
                    .append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
