package io.culvert.engine.client;

import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.DropTally;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client runner's traffic counters: bytes and packets on the device and the link, and drops per
 * {@link DropReason}. Thread-safe: the data threads and the session thread add, any thread takes a snapshot.
 */
final class TrafficCounters {
    final LongAdder tunBytesIn = new LongAdder();
    final LongAdder tunBytesOut = new LongAdder();
    final LongAdder tunPacketsIn = new LongAdder();
    final LongAdder tunPacketsOut = new LongAdder();
    final LongAdder linkBytesIn = new LongAdder();
    final LongAdder linkBytesOut = new LongAdder();
    final DropTally drops = new DropTally();

    TrafficStats snapshot() {
        return TrafficStats.builder().tunBytes(tunBytesIn.sum(), tunBytesOut.sum())
                .tunPackets(tunPacketsIn.sum(), tunPacketsOut.sum()).linkBytes(linkBytesIn.sum(), linkBytesOut.sum())
                .drops(drops.snapshot()).build();
    }

    /** {@code tun in B out B, link in B out B, dropped {REASON=n, ...}}, reasons in alphabetical order. */
    static String describe(TrafficStats s) {
        return "tun in " + s.tunBytesIn() + " out " + s.tunBytesOut() + ", link in " + s.linkBytesIn() + " out "
                + s.linkBytesOut() + ", dropped " + new TreeMap<>(s.drops());
    }
}
