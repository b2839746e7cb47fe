package io.culvert.engine.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that only moves when the test says so: the one test clock of the engine and the app. Not thread-safe. */
public final class ManualClock implements InstantSource {
    private long millis;

    /** Starts at an arbitrary fixed instant (2025-01-01T00:00:00Z), never at 0, so "0 = unset" bugs show. */
    public ManualClock() {
        this(1_735_689_600_000L);
    }

    public ManualClock(long startMillis) {
        this.millis = startMillis;
    }

    /** Starts at {@code start}. */
    public static ManualClock at(Instant start) {
        return new ManualClock(start.toEpochMilli());
    }

    /** Jumps to {@code t}, either way (a capture's timestamps, a wall clock set back). */
    public void set(Instant t) {
        millis = t.toEpochMilli();
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + d);
        }
        millis += d.toMillis();
    }

    public void advanceMillis(long ms) {
        advance(Duration.ofMillis(ms));
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
