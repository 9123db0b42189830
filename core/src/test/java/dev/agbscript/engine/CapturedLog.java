package dev.agbscript.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records one logger publishes while it is open, at the level asked (System.Logger goes to these loggers). */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    CapturedLog(Class<?> source, Level level) {
        this.logger = Logger.getLogger(source.getName());
        this.previous = logger.getLevel();
        logger.setLevel(level);
        handler.setLevel(level);
        logger.addHandler(handler);
    }

    /** The messages of the records at exactly this level, formatted. */
    List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level))
                .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
