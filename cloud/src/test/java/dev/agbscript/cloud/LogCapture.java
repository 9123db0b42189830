package dev.agbscript.cloud;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the warnings of the cloud package while a test runs. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.agbscript.cloud");
    final List<String> warnings = new CopyOnWriteArrayList<>();

    LogCapture() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
