package io.culvert.engine.client;

/**
 * The {@code inactive N [bytes]} timer: expires when {@code N} seconds pass without tunnel traffic, where traffic
 * is what is read from or written to the device (keepalive pings and control packets do not count). With a byte
 * threshold, traffic counts as activity only once that many bytes have accumulated since the last reset. Time
 * comes in as {@code nowMillis}. Not thread-safe.
 */
final class Inactivity {
    private final long timeoutMillis;
    private final long minBytes;
    private long lastActivity;
    private long bytes;

    /** A timer that starts now; {@code seconds == 0} disables it. */
    Inactivity(int seconds, long minBytes, long nowMillis) {
        this.timeoutMillis = seconds * 1000L;
        this.minBytes = minBytes;
        this.lastActivity = nowMillis;
    }

    boolean enabled() {
        return timeoutMillis > 0;
    }

    /** Notes {@code len} bytes of tunnel traffic. */
    void traffic(int len, long nowMillis) {
        bytes += len;
        if (bytes >= minBytes) {
            bytes = 0;
            lastActivity = nowMillis;
        }
    }

    boolean expired(long nowMillis) {
        return enabled() && nowMillis - lastActivity >= timeoutMillis;
    }
}
