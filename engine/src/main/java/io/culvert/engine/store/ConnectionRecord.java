package io.culvert.engine.store;

import java.time.Instant;
import java.util.Objects;

/** One connection of a profile: start, end and why it ended (both null while it is up), and bytes moved. Immutable. */
public record ConnectionRecord(long id, String profileName, Instant startedAt, Instant endedAt, String reason,
        long bytesIn, long bytesOut) {

    public ConnectionRecord {
        Objects.requireNonNull(profileName, "profileName");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
