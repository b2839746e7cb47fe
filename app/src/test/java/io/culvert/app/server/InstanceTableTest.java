package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceTableTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static InstanceInfo info(int peer, String cn, long in, long out) {
        return InstanceInfo.builder(peer, cn).realAddress("127.0.0.1:" + (40000 + peer))
                .virtualAddresses(List.of("10.8.0." + (peer + 2))).macs(List.of("aa:bb:cc:00:00:0" + peer))
                .cipher("AES-256-GCM").connectedSince(T0).bytes(in, out).build();
    }

    @Test
    void ratesComeFromConsecutiveSnapshots() {
        InstanceTable t = new InstanceTable();
        t.apply(List.of(info(1, "alice", 1000, 500)), T0);
        InstanceRow row = t.rows().getFirst();
        assertEquals(0, row.rateInProperty().get(), "no rate from a single sample");
        t.apply(List.of(info(1, "alice", 6000, 2500)), T0.plusMillis(2000));
        assertSame(row, t.rows().getFirst(), "rows are updated in place");
        assertEquals(2500, row.rateInProperty().get());
        assertEquals(1000, row.rateOutProperty().get());
        assertEquals(6000, row.bytesInProperty().get());
        assertEquals("10.8.0.3", row.virtualAddressesProperty().get());
        assertEquals("aa:bb:cc:00:00:01", row.macsProperty().get());
    }

    @Test
    void addsNewInstancesAndDropsGoneOnes() {
        InstanceTable t = new InstanceTable();
        t.apply(List.of(info(1, "alice", 0, 0), info(2, "bob", 0, 0)), T0);
        assertEquals(List.of("alice", "bob"), t.rows().stream().map(InstanceRow::commonName).toList());
        t.apply(List.of(info(2, "bob", 0, 0), info(3, "carol", 0, 0)), T0.plusSeconds(1));
        assertEquals(List.of("bob", "carol"), t.rows().stream().map(InstanceRow::commonName).toList());
    }

    @Test
    void aReconnectedPeerStartsWithoutARate() {
        InstanceTable t = new InstanceTable();
        t.apply(List.of(info(1, "alice", 9000, 9000)), T0);
        t.remove(1);
        assertEquals(0, t.rows().size());
        t.apply(List.of(info(1, "alice", 100, 100)), T0.plusSeconds(1));
        assertEquals(0, t.rows().getFirst().rateInProperty().get());
    }

    @Test
    void aReusedPeerIdWithANewStartIsANewRow() {
        InstanceTable t = new InstanceTable();
        t.apply(List.of(info(0, "alice", 9000, 9000)), T0);
        InstanceRow first = t.rows().getFirst();
        InstanceInfo back = InstanceInfo.builder(0, "alice").realAddress("127.0.0.1:41000")
                .virtualAddresses(List.of("10.8.0.2")).cipher("AES-256-GCM").connectedSince(T0.plusSeconds(5))
                .bytes(200, 100).build();
        t.apply(List.of(back), T0.plusSeconds(6));
        assertEquals(1, t.rows().size());
        InstanceRow second = t.rows().getFirst();
        assertNotSame(first, second);
        assertEquals(T0.plusSeconds(5), second.connectedSinceProperty().get());
        assertEquals(0, second.rateInProperty().get(), "no rate across different instances");
    }

    @Test
    void countersGoingBackwardsGiveNoNegativeRate() {
        InstanceTable t = new InstanceTable();
        t.apply(List.of(info(1, "alice", 9000, 9000)), T0);
        t.apply(List.of(info(1, "alice", 100, 100)), T0.plusSeconds(1));
        assertEquals(0, t.rows().getFirst().rateInProperty().get());
        t.clear();
        assertEquals(0, t.rows().size());
    }
}
