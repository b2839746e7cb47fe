package io.culvert.engine.management;

import java.time.InstantSource;
import io.culvert.engine.common.LogThrottle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Bounds how often the interface warns about one kind of trouble: at most {@code perWindow} lines of each kind
 * per window, the rest counted and reported once as "N similar messages suppressed" when the window has passed.
 * Kinds are the caller's fixed message names, so the table stays small. Thread-safe.
 */
final class LogLimiter {
    private final Logger log;
    private final int perWindow;
    private final long windowMillis;
    private final InstantSource clock;
    private final Map<String, LogThrottle> kinds = new ConcurrentHashMap<>();

    LogLimiter(Logger log, int perWindow, long windowMillis, InstantSource clock) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Logs a warning of {@code kind} unless this kind's quota for the window is used up. */
    void warn(String kind, String format, Object... args) {
        long held = kinds.computeIfAbsent(kind, k -> new LogThrottle(windowMillis, perWindow)).admit(clock.millis());
        if (held >= 0) {
            summary(kind, held);
            log.warn(format, args);
        }
    }

    /** Reports the kinds whose window has passed with lines suppressed (called from the interface's ticker). */
    void flush() {
        long now = clock.millis();
        kinds.forEach((kind, throttle) -> summary(kind, throttle.drainIfPassed(now)));
    }

    private void summary(String kind, long suppressed) {
        if (suppressed > 0) {
            log.warn("Management: {} similar messages suppressed ({})", suppressed, kind);
        }
    }
}
