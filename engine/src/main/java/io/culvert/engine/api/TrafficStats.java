package io.culvert.engine.api;

import java.util.Map;

/**
 * Counters of one tunnel since it was started. Tunnel bytes are plaintext sizes of packets written to or
 * read from the device; link bytes are what crossed the socket. Instances are immutable.
 */
public record TrafficStats(
        long tunBytesIn,
        long tunBytesOut,
        long tunPacketsIn,
        long tunPacketsOut,
        long linkBytesIn,
        long linkBytesOut,
        Map<String, Long> drops) {

    public TrafficStats {
        drops = Map.copyOf(drops);
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
