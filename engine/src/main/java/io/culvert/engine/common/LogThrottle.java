package io.culvert.engine.common;

/**
 * Rate-limits one kind of log line: at most {@code perWindow} lines per window, and the first line of a later
 * window says how many were held back, so a fault that repeats thousands of times a second costs a few lines a
 * window, not a line a packet. Thread-safe.
 */
public final class LogThrottle {
    private final long windowMillis;
    private final int perWindow;
    private long windowStart = Long.MIN_VALUE;
    private int admitted;
    private long suppressed;

    /** One line per {@code windowMillis}. */
    public LogThrottle(long windowMillis) {
        this(windowMillis, 1);
    }

    public LogThrottle(long windowMillis, int perWindow) {
        if (windowMillis <= 0 || perWindow <= 0) {
            throw new IllegalArgumentException("window and quota must be positive");
        }
        this.windowMillis = windowMillis;
        this.perWindow = perWindow;
    }

    /**
     * Records one occurrence at {@code nowMillis}: -1 when it should not be logged, otherwise how many occurrences
     * were held back before it (0 when none).
     */
    public synchronized long admit(long nowMillis) {
        long held = drainIfPassed(nowMillis);
        if (admitted >= perWindow) {
            suppressed++;
            return -1;
        }
        if (admitted++ == 0) {
            windowStart = nowMillis;
        }
        return held;
    }

    /**
     * When the current window has passed at {@code nowMillis}, starts afresh and returns how many occurrences it
     * held back (for a "N similar messages suppressed" line written by a periodic flush); otherwise 0.
     */
    public synchronized long drainIfPassed(long nowMillis) {
        if (admitted == 0 || nowMillis - windowStart < windowMillis) {
            return 0;
        }
        long held = suppressed;
        admitted = 0;
        suppressed = 0;
        return held;
    }
}
