package io.culvert.engine.crypto;

import java.time.InstantSource;
import java.util.Objects;

/**
 * Outgoing long-form replay ids of one control session: ids count up from 1 on every transmission,
 * and the timestamp is the second of the first packet. Not thread-safe.
 */
final class ReplayIds {
    private static final long MAX_ID = 0xFFFFFFFFL;

    private final InstantSource clock;
    private long lastId;
    private long timestamp = -1;

    ReplayIds(InstantSource clock) {
        this(clock, 0);
    }

    /** Ids that start after {@code before} (tls-crypt-v2 clients start after 0x0F000000 to announce early negotiation). */
    ReplayIds(InstantSource clock, long before) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastId = before;
    }

    /** Advances to the next id and writes {@code id(4) || timestamp(4)} at {@code off}. */
    void writeNext(byte[] out, int off) {
        long now = Math.floorDiv(clock.millis(), 1000);
        if (timestamp < 0) {
            timestamp = now;
        }
        if (lastId == MAX_ID) {
            // The long form may wrap if the timestamp moves forward; receivers then start a new sequence.
            lastId = 0;
            timestamp = Math.max(now, timestamp + 1);
        }
        lastId++;
        Bytes.putInt(out, off, lastId);
        Bytes.putInt(out, off + 4, timestamp);
    }

    long lastId() {
        return lastId;
    }
}
