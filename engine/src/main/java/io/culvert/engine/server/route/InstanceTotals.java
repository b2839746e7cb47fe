package io.culvert.engine.server.route;

/**
 * One instance's traffic: "in" is what the server received from the client (dropped packets included), "out" what it
 * sent to the client; payload sizes (IP packets or Ethernet frames), not wire sizes. Instances are immutable.
 */
public record InstanceTotals(long packetsIn, long bytesIn, long packetsOut, long bytesOut) {
    /** No traffic. */
    public static final InstanceTotals ZERO = new InstanceTotals(0, 0, 0, 0);
}
