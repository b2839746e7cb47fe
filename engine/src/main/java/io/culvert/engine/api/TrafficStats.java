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

    /** Nothing counted yet. */
    public static final TrafficStats NONE = builder().build();

    public TrafficStats {
        drops = Map.copyOf(drops);
    }

    /** A builder: nothing counted, no drops. */
    public static Builder builder() {
        return new Builder();
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Builds {@link TrafficStats} by name. */
    public static final class Builder {
        private long tunBytesIn;
        private long tunBytesOut;
        private long tunPacketsIn;
        private long tunPacketsOut;
        private long linkBytesIn;
        private long linkBytesOut;
        private Map<String, Long> drops = Map.of();

        private Builder() {
        }

        /** Plaintext bytes read from ({@code in}) and written to ({@code out}) the device's side of the tunnel. */
        public Builder tunBytes(long in, long out) {
            this.tunBytesIn = in;
            this.tunBytesOut = out;
            return this;
        }

        public Builder tunPackets(long in, long out) {
            this.tunPacketsIn = in;
            this.tunPacketsOut = out;
            return this;
        }

        /** Bytes that crossed the socket, in and out. */
        public Builder linkBytes(long in, long out) {
            this.linkBytesIn = in;
            this.linkBytesOut = out;
            return this;
        }

        /** Drops per reason name. */
        public Builder drops(Map<String, Long> drops) {
            this.drops = drops;
            return this;
        }

        public TrafficStats build() {
            return new TrafficStats(tunBytesIn, tunBytesOut, tunPacketsIn, tunPacketsOut, linkBytesIn, linkBytesOut,
                    drops);
        }
    }
}
