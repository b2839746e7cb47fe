package io.culvert.engine.server;

import java.time.InstantSource;

/** A token bucket: at most {@code perSecond} events a second, with bursts up to the same number. Not thread-safe. */
final class RateLimiter {
    private final int perSecond;
    private final InstantSource clock;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, InstantSource clock) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.tokens = perSecond;
        this.last = clock.millis();
    }

    boolean tryAcquire() {
        long now = clock.millis();
        tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1000.0);
        last = now;
        if (tokens >= 1) {
            tokens--;
            return true;
        }
        return false;
    }
}
