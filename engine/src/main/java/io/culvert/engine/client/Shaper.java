package io.culvert.engine.client;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * {@code shaper N}: OpenVPN's output traffic shaper, which limits what goes to the link to {@code N} bytes a second.
 * Its rule, from OpenVPN's {@code shaper.h}: after writing a packet of {@code n} bytes (with the UDP/TCP and IP headers
 * the kernel adds), the next write waits until {@code max(n, 100) / N} seconds after this one, capped at 10 s; a wait
 * under a millisecond is not waited. There is no burst allowance: the gap follows each packet. Control packets and
 * keepalives count and wait like data, since they share the link. Thread-safe: the device reader and the session
 * thread both send; one waits while the other's gap runs.
 */
final class Shaper {
    /** OpenVPN's {@code SHAPER_MIN} and {@code SHAPER_MAX}, bytes a second. */
    static final int MIN = 100;
    static final int MAX = 100_000_000;
    private static final long MAX_DELAY_NANOS = 10_000_000_000L;
    private static final long SLACK_NANOS = 1_000_000;

    private final double nanosPerByte;
    private final LongSupplier nanoTime;
    /** When the next write may go ({@code nanoTime} scale), or {@link Long#MIN_VALUE} before the first. */
    private long wakeup = Long.MIN_VALUE;

    Shaper(int bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    Shaper(int bytesPerSecond, LongSupplier nanoTime) {
        this.nanosPerByte = 1e9 / Math.clamp(bytesPerSecond, MIN, MAX);
        this.nanoTime = nanoTime;
    }

    /** How long a write now would have to wait, in nanoseconds (0 = it may go). */
    synchronized long delayNanos() {
        if (wakeup == Long.MIN_VALUE) {
            return 0;
        }
        long delay = Math.min(wakeup - nanoTime.getAsLong(), MAX_DELAY_NANOS);
        return delay < SLACK_NANOS ? 0 : delay;
    }

    /**
     * Waits for the gap of the previous write, then runs {@code write}, which sends {@code linkBytes} bytes (headers
     * included), and starts the next gap from then.
     */
    synchronized <E extends Exception> void send(int linkBytes, Write<E> write) throws E {
        for (long d = delayNanos(); d > 0; d = delayNanos()) {
            LockSupport.parkNanos(d);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        write.run();
        wrote(linkBytes);
    }

    /** Notes a write of {@code linkBytes} just now. */
    synchronized void wrote(int linkBytes) {
        long gap = Math.min((long) (Math.max(linkBytes, 100) * nanosPerByte), MAX_DELAY_NANOS);
        wakeup = nanoTime.getAsLong() + gap;
    }

    /** A link write that may fail. */
    @FunctionalInterface
    interface Write<E extends Exception> {
        void run() throws E;
    }
}
