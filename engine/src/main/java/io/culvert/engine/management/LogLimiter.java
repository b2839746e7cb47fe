package io.culvert.engine.management;

import java.time.InstantSource;
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
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** One kind's current window. Guarded by its own monitor. */
    private static final class Window {
        long start;
        int logged;
        long suppressed;
    }

    LogLimiter(Logger log, int perWindow, long windowMillis, InstantSource clock) {
        this.log = log;
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Logs a warning of {@code kind} unless this kind's quota for the window is used up. */
    void warn(String kind, String format, Object... args) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = clock.millis();
        long suppressedBefore;
        synchronized (w) {
            suppressedBefore = roll(w, now);
            if (w.logged >= perWindow) {
                w.suppressed++;
                format = null;
            } else {
                w.logged++;
            }
        }
        summary(kind, suppressedBefore);
        if (format != null) {
            log.warn(format, args);
        }
    }

    /** Reports the kinds whose window has passed with lines suppressed (called from the interface's ticker). */
    void flush() {
        long now = clock.millis();
        windows.forEach((kind, w) -> {
            long suppressed;
            synchronized (w) {
                suppressed = now - w.start >= windowMillis ? roll(w, now) : 0;
            }
            summary(kind, suppressed);
        });
    }

    /** Starts a new window when the current one has passed; returns what the old one suppressed. */
    private long roll(Window w, long now) {
        if (now - w.start < windowMillis) {
            return 0;
        }
        long suppressed = w.suppressed;
        w.start = now;
        w.logged = 0;
        w.suppressed = 0;
        return suppressed;
    }

    private void summary(String kind, long suppressed) {
        if (suppressed > 0) {
            log.warn("Management: {} similar messages suppressed ({})", suppressed, kind);
        }
    }
}
