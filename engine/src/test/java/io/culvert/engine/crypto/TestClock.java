package io.culvert.engine.crypto;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class TestClock implements InstantSource {
    private long millis;

    TestClock(long epochSeconds) {
        this.millis = epochSeconds * 1000;
    }

    void setSeconds(long epochSeconds) {
        millis = epochSeconds * 1000;
    }

    void advanceSeconds(long seconds) {
        millis += seconds * 1000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
