package io.culvert.engine.server.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.net.IpPrefix;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fleet server's counters of its clients' traffic to other servers' pools (ADR 0056). */
class RemoteFlowsTest {
    private static final InstanceId A1 = new InstanceId(0);
    private static final InstanceId A2 = new InstanceId(1);

    @Test
    void countsPerSourceAndDestinationOnlyInsideTheOtherServersPools() {
        RemoteFlows r = new RemoteFlows();
        r.pools(List.of(IpPrefix.parse("10.78.0.0/29"), IpPrefix.parse("fd00::/64")));
        r.register(A1);
        r.register(A2);
        r.count(A1, ipv4("10.78.0.6", 84), 0, 84);
        r.count(A1, ipv4("10.78.0.6", 100), 0, 100);
        r.count(A2, ipv4("10.78.0.2", 60), 0, 60);
        r.count(A1, ipv4("10.78.0.8", 84), 0, 84); // just outside the /29
        r.count(A1, ipv4("192.0.2.1", 84), 0, 84); // the internet
        byte[] v6 = new byte[60];
        v6[0] = 0x60;
        r.count(A1, v6, 0, 60); // IPv6 is not counted
        r.count(new InstanceId(7), ipv4("10.78.0.6", 84), 0, 84); // not registered
        List<RemoteFlows.Sample> s = r.snapshot();
        assertEquals(2, s.size(), s.toString());
        assertEquals(A1, s.get(0).source());
        assertEquals("10.78.0.6", s.get(0).destination().getHostAddress());
        assertEquals(2, s.get(0).packets());
        assertEquals(184, s.get(0).bytes());
        assertEquals(new RemoteFlows.Sample(A2, s.get(1).destination(), 1, 60), s.get(1));
        assertEquals("10.78.0.2", s.get(1).destination().getHostAddress());
    }

    @Test
    void withoutPoolsNothingIsCountedAndAForgottenInstanceLeavesNoCounter() {
        RemoteFlows r = new RemoteFlows();
        r.register(A1);
        r.count(A1, ipv4("10.78.0.6", 84), 0, 84);
        assertEquals(List.of(), r.snapshot());
        r.pools(List.of(IpPrefix.parse("10.78.0.0/29")));
        r.count(A1, ipv4("10.78.0.6", 84), 0, 84);
        assertEquals(1, r.snapshot().size());
        r.forget(A1);
        r.count(A1, ipv4("10.78.0.6", 84), 0, 84);
        assertEquals(List.of(), r.snapshot());
        r.register(A1); // a new instance with the same peer-id starts from zero
        r.count(A1, ipv4("10.78.0.6", 84), 0, 84);
        assertEquals(1, r.snapshot().getFirst().packets());
        r.clear(); // a restarted server: no instance is left, the pools stay
        assertEquals(List.of(), r.snapshot());
        r.register(A2);
        r.count(A2, ipv4("10.78.0.6", 84), 0, 84);
        assertEquals(1, r.snapshot().size());
    }

    @Test
    void aSourceCountsAtMostItsCapOfDestinationsAndTheRestAsOverflow() {
        RemoteFlows r = new RemoteFlows();
        r.pools(List.of(IpPrefix.parse("10.78.0.0/16")));
        r.register(A1);
        for (int i = 0; i < RemoteFlows.PER_INSTANCE + 10; i++) {
            r.count(A1, ipv4("10.78." + (i / 200) + "." + (1 + i % 200), 84), 0, 84);
        }
        r.count(A1, ipv4("10.78.0.1", 84), 0, 84); // a known destination still counts when full
        List<RemoteFlows.Sample> s = r.snapshot();
        assertEquals(RemoteFlows.PER_INSTANCE, s.size());
        assertEquals(2, s.getFirst().packets());
        assertEquals(10, r.overflow());
    }

    @Test
    void countingOnceWarmAllocatesNothing() {
        RemoteFlows r = new RemoteFlows();
        r.pools(List.of(IpPrefix.parse("10.77.0.0/29"), IpPrefix.parse("10.78.0.0/29")));
        r.register(A1);
        byte[][] packets = {ipv4("10.78.0.6", 1400), ipv4("10.78.0.2", 84), ipv4("192.0.2.1", 84)};
        for (byte[] p : packets) {
            r.count(A1, p, 0, p.length); // claims the destinations' slots
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            byte[] p = packets[i % packets.length];
            r.count(A1, p, 0, p.length);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // One 16-byte object per packet would be 1.6 MB; allow a little for the measurement itself.
        assertTrue(allocated < 16_384, allocated + " bytes allocated for 100000 packets");
        assertEquals(33_334 + 1, r.snapshot().getFirst().packets());
    }

    /** A minimal IPv4 header of a {@code length}-byte packet to {@code destination}. */
    private static byte[] ipv4(String destination, int length) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        String[] d = destination.split("\\.");
        for (int i = 0; i < 4; i++) {
            p[16 + i] = (byte) Integer.parseInt(d[i]);
        }
        return p;
    }
}
