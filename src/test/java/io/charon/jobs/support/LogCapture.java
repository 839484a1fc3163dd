package io.charon.jobs.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records the service publishes while a test runs (in-process, {@code @QuarkusTest}):
 * a handler on the root logger, removed again on close.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Map<Logger, Level> levels = new LinkedHashMap<>();

    private LogCapture() {
    }

    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** Lets the debug lines of {@code category} through, until close. */
    public LogCapture withDebug(String category) {
        Logger logger = Logger.getLogger(category);
        levels.putIfAbsent(logger, logger.getLevel());
        logger.setLevel(Level.FINE);
        return this;
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        levels.forEach(Logger::setLevel);
    }
}
