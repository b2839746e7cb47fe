package io.culvert.engine.common;

/**
 * Rate-limits one kind of log line: at most one per interval, and the next one says how many were held back,
 * so a fault that repeats thousands of times a second costs a line a second, not a line a packet.
 * Thread-safe.
 */
public final class LogThrottle {
    private final long intervalMillis;
    private long nextMillis = Long.MIN_VALUE;
    private long suppressed;

    public LogThrottle(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /**
     * Records one occurrence at {@code nowMillis}: -1 when it should not be logged, otherwise how many occurrences
     * were held back since the last one that was (0 for the first).
     */
    public synchronized long admit(long nowMillis) {
        if (nowMillis < nextMillis) {
            suppressed++;
            return -1;
        }
        nextMillis = nowMillis + intervalMillis;
        long held = suppressed;
        suppressed = 0;
        return held;
    }
}
