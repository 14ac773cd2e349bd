package cloud.cegedim.itcareproxy.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * Every record logged in a category (and below it), at every level, from {@link #of} until {@link #close()}: for the
 * tests that read what the proxy logs. Attached to the running application's log manager, so it sees what the
 * console would, whatever the console's own level.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final String category;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.category = category;
        setLevel(Level.ALL);
    }

    /** Starts capturing {@code category}; {@code ""} is every category. */
    public static LogCapture of(String category) {
        LogCapture capture = new LogCapture(category);
        Logger.getLogger(category).addHandler(capture);
        return capture;
    }

    /** The records so far, in order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The records' messages, parameters applied. */
    public List<String> messages() {
        return records.stream().map(LogCapture::message).toList();
    }

    /** A record's message with its parameters applied, as a formatter would print it. */
    public static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    /** Stops capturing. */
    @Override
    public void close() {
        Logger.getLogger(category).removeHandler(this);
    }
}
