package io.culvert.engine.management;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts what one logger tree writes, as the CLI's console pattern would print it ("yyyy-MM-dd HH:mm:ss LEVEL
 * message"), instead of printing it. Thread-safe.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    /** Bytes of the CLI's timestamp and level columns in front of each message. */
    private static final int PREFIX = "2026-01-01 00:00:00 WARN  ".length();

    private final Logger logger;
    private final boolean additive;
    final AtomicLong lines = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong warnLines = new AtomicLong();
    final AtomicLong warnBytes = new AtomicLong();
    /** The first messages, for tests that read them. */
    final List<String> messages = new CopyOnWriteArrayList<>();

    LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.additive = logger.isAdditive();
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
        logger.setAdditive(false);
    }

    @Override
    protected void append(ILoggingEvent e) {
        long n = PREFIX + e.getFormattedMessage().getBytes(StandardCharsets.UTF_8).length + 1;
        if (lines.incrementAndGet() <= 1000) {
            messages.add(e.getLevel() + " " + e.getFormattedMessage());
        }
        bytes.addAndGet(n);
        if (e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
            warnLines.incrementAndGet();
            warnBytes.addAndGet(n);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setAdditive(additive);
        stop();
    }
}
