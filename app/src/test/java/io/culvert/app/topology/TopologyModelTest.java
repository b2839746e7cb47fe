package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.FlowEdge.Kind;
import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The topology's state logic without a toolkit: stable slots, rates from counter deltas, storms, the matrix. */
class TopologyModelTest {
    private static final long SECOND = 1_000_000_000L;

    static InstanceInfo instance(int peer, String cn, long bytesIn, long bytesOut) {
        return InstanceInfo.builder(peer, cn).realAddress("127.0.0.1:" + (40000 + peer))
                .virtualAddresses(List.of("10.8.0." + (peer + 2))).cipher("AES-256-GCM").connectedSince(Instant.EPOCH)
                .bytes(bytesIn, bytesOut).build();
    }

    static TopologySnapshot snap(long seconds, List<InstanceInfo> instances, FlowEdge... flows) {
        return new TopologySnapshot(seconds * SECOND, "127.0.0.1:1194/udp", instances, List.of(flows));
    }

    @Test
    void aFleetsServersAreHubsSideBySideEachWithItsOwnClientsAndTraffic() {
        TopologyModel m = new TopologyModel();
        List<InstanceInfo> all = List.of(instance(1, "a", 0, 0), instance(2, "b", 0, 0), instance(1 << 24, "c", 0, 0));
        List<TopologySnapshot.Hub> hubs = List.of(new TopologySnapshot.Hub("berlin", "2 clients", Set.of(1, 2)),
                new TopologySnapshot.Hub("lisbon", "1 client", Set.of(1 << 24)));
        m.apply(new TopologySnapshot(0, "fleet", all, List.of(), hubs));
        m.apply(new TopologySnapshot(SECOND, "fleet", all, List.of(new FlowEdge(1 << 24, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 10,
                1000)), hubs));
        assertEquals(List.of("berlin", "lisbon"), m.hubs().stream().map(TopologyModel.Hub::name).toList());
        TopologyModel.Hub berlin = m.hubs().get(0);
        TopologyModel.Hub lisbon = m.hubs().get(1);
        assertEquals(TopologyModel.HUB_SPACING, lisbon.x() - berlin.x(), 1e-9);
        assertEquals(0, berlin.x() + lisbon.x(), 1e-9, "centred");
        assertEquals(berlin.x(), m.node(1).hubX());
        assertEquals(berlin.x(), m.node(2).hubX());
        assertEquals(lisbon.x(), m.node(1 << 24).hubX());
        assertEquals(m.node(1).slot(), m.node(1 << 24).slot(), "each hub has its own slots");
        assertEquals(1000, lisbon.bytesPerSecond(), 1e-9);
        assertEquals(0, berlin.bytesPerSecond(), 1e-9);
        // one server alone (the filter): one hub, in the middle
        m.apply(new TopologySnapshot(2 * SECOND, "fleet", List.of(instance(1 << 24, "c", 0, 0)), List.of(), List.of(hubs.get(1))));
        assertEquals(1, m.hubs().size());
        assertEquals(0, m.node(1 << 24).hubX(), 1e-9);
        assertEquals(1, m.presentCount());
    }

    @Test
    void oneServerIsOneUnnamedHubAtTheCentre() {
        TopologyModel m = new TopologyModel();
        m.apply(snap(0, List.of(instance(1, "a", 0, 0))));
        assertEquals(1, m.hubs().size());
        assertNull(m.hubs().getFirst().name());
        assertEquals("127.0.0.1:1194/udp", m.hubs().getFirst().caption());
        assertEquals(0, m.node(1).hubX());
    }

    @Test
    void slotsStayPutWhenOthersJoinAndLeave() {
        TopologyModel m = new TopologyModel();
        m.apply(snap(0, List.of(instance(1, "a", 0, 0), instance(2, "b", 0, 0), instance(3, "c", 0, 0))));
        double[] a = {m.node(1).x(), m.node(1).y()};
        double[] c = {m.node(3).x(), m.node(3).y()};
        int slotB = m.node(2).slot();
        List<InstanceInfo> many = new ArrayList<>(List.of(instance(1, "a", 0, 0), instance(3, "c", 0, 0)));
        for (int p = 10; p < 60; p++) {
            many.add(instance(p, "n" + p, 0, 0));
        }
        m.apply(snap(1, many));
        assertArrayEquals(a, new double[] {m.node(1).x(), m.node(1).y()}, "a did not move");
        assertArrayEquals(c, new double[] {m.node(3).x(), m.node(3).y()}, "c did not move");
        assertNull(m.node(2), "b left");
        Set<Integer> slots = new HashSet<>();
        for (NodeState n : m.nodes()) {
            if (n.present()) {
                assertTrue(slots.add(n.slot()), "slot " + n.slot() + " given twice");
                assertNotEquals(slotB, n.slot(), "b's slot is kept while b fades out");
            }
        }
        m.prune(1 * SECOND + TopologyModel.LEAVE_NANOS);
        m.apply(snap(2, List.of(instance(1, "a", 0, 0), instance(3, "c", 0, 0), instance(99, "b", 0, 0))));
        assertEquals(slotB, m.node(99).slot(), "b comes back (new peer-id) to its old place");
    }

    @Test
    void firstSlotsSpreadAroundTheHub() {
        double[] s0 = SlotLayout.position(0);
        double[] s1 = SlotLayout.position(1);
        double[] s2 = SlotLayout.position(2);
        assertEquals(-SlotLayout.FIRST_RADIUS, s0[1], 1e-9, "first instance straight above the hub");
        assertEquals(SlotLayout.FIRST_RADIUS, s1[1], 1e-9, "second one opposite");
        assertEquals(SlotLayout.FIRST_RADIUS, s2[0], 1e-9, "third at a quarter turn");
        assertEquals(0, SlotLayout.ring(7));
        assertEquals(1, SlotLayout.ring(8));
        assertEquals(5, SlotLayout.ring(499));
        Set<String> distinct = new HashSet<>();
        for (int s = 0; s < 600; s++) {
            double[] p = SlotLayout.position(s);
            distinct.add(Math.round(p[0]) + "," + Math.round(p[1]));
        }
        assertEquals(600, distinct.size(), "no two slots share a place");
    }

    @Test
    void ratesAreCounterDifferencesPerSecond() {
        TopologyModel m = new TopologyModel();
        List<InstanceInfo> two = List.of(instance(1, "a", 1000, 0), instance(2, "b", 0, 0));
        m.apply(snap(0, two, new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 10, 1000),
                new FlowEdge(1, 2, Kind.CLIENT_TO_CLIENT, 5, 500)));
        assertEquals(0, m.node(1).upBytesPerSecond(), "no rate before a baseline");
        m.apply(new TopologySnapshot(2 * SECOND, "s", List.of(instance(1, "a", 9000, 0), instance(2, "b", 0, 0)), List.of(
                new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 30, 5000),
                new FlowEdge(1, 2, Kind.CLIENT_TO_CLIENT, 25, 4500),
                new FlowEdge(FlowEdge.SERVER, 2, Kind.UNICAST_VIA_SERVER, 4, 800))));
        assertEquals(2000, m.node(1).upBytesPerSecond(), 1e-9);
        assertEquals(400, m.node(2).downBytesPerSecond(), 1e-9, "a new edge counts from zero");
        assertEquals(4000, m.node(1).bytesInPerSecond(), 1e-9);
        assertEquals(1, m.clientToClient().size());
        assertEquals(2000, m.clientToClient().getFirst().bytesPerSecond(), 1e-9);
        assertEquals(10, m.clientToClient().getFirst().packetsPerSecond(), 1e-9);
        assertEquals(2000 + 2000 + 400, m.totalBytesPerSecond(), 1e-9);
    }

    @Test
    void frequentPollsMeasureOverAtLeastASecond() {
        TopologyModel m = new TopologyModel();
        List<InstanceInfo> one = List.of(instance(1, "a", 0, 0));
        long quarter = SECOND / 4;
        for (int q = 0; q <= 5; q++) {
            // 4 packets of 100 bytes in the first quarter second of every second, none in the others
            long bytes = (q + 3) / 4 * 400L;
            m.apply(new TopologySnapshot(q * quarter, "s", one, List.of(new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, bytes / 100, bytes))));
            if (q >= 4) {
                assertEquals(400, m.node(1).upBytesPerSecond(), 1e-9, "at " + q + "/4 s, measured from " + (q - 4) + "/4 s");
            }
        }
    }

    @Test
    void counterThatWentDownCountsFromZero() {
        TopologyModel m = new TopologyModel();
        m.apply(snap(0, List.of(instance(1, "a", 0, 0)), new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 100, 100_000)));
        m.apply(snap(1, List.of(instance(1, "a", 0, 0)), new FlowEdge(1, FlowEdge.SERVER, Kind.UNICAST_VIA_SERVER, 3, 300)));
        assertEquals(300, m.node(1).upBytesPerSecond(), 1e-9);
    }

    @Test
    void matrixHasOneLayerPerKindWithServerFirst() {
        TopologyModel m = new TopologyModel();
        List<InstanceInfo> three = List.of(instance(1, "a", 0, 0), instance(2, "b", 0, 0), instance(3, "c", 0, 0));
        m.apply(snap(0, three));
        m.apply(snap(1, three,
                new FlowEdge(1, 2, Kind.CLIENT_TO_CLIENT, 10, 1000),
                new FlowEdge(3, 1, Kind.BROADCAST, 2, 200),
                new FlowEdge(3, 2, Kind.BROADCAST, 2, 200),
                new FlowEdge(3, FlowEdge.SERVER, Kind.BROADCAST, 2, 200),
                new FlowEdge(FlowEdge.SERVER, 3, Kind.UNICAST_VIA_SERVER, 7, 7000)));
        FlowMatrix x = m.matrix();
        assertEquals(List.of(FlowEdge.SERVER, 1, 2, 3), x.endpoints());
        assertEquals(1000, x.bytesPerSecond(1, 2, Kind.CLIENT_TO_CLIENT), 1e-9);
        assertEquals(0, x.bytesPerSecond(1, 2, Kind.BROADCAST), 1e-9, "layers are separate");
        assertEquals(200, x.bytesPerSecond(3, 2, Kind.BROADCAST), 1e-9);
        assertEquals(7000, x.bytesPerSecond(FlowEdge.SERVER, 3, Kind.UNICAST_VIA_SERVER), 1e-9);
        assertEquals(7000, x.maxBytesPerSecond(Kind.UNICAST_VIA_SERVER), 1e-9);
        FlowMatrix.Cell cell = x.cell(3, 2, Kind.BROADCAST);
        assertEquals(2, cell.packetsPerSecond(), 1e-9);
        assertEquals(5, x.cells().size());
        TopologyModel.FanOut fan = m.fanOuts().getFirst();
        assertEquals(3, fan.sender().peerId());
        assertEquals(2, fan.packetsPerSecond(), 1e-9, "copies are per receiver; the sender's rate is one edge's");
        assertEquals(Set.of(1, 2), Set.copyOf(fan.receivers().stream().map(NodeState::peerId).toList()));
        assertTrue(fan.toServer());
    }

    @Test
    void stormOnAtThresholdOffBelowHalf() {
        TopologyModel m = new TopologyModel();
        m.stormThreshold(100);
        List<InstanceInfo> two = List.of(instance(1, "flooder", 0, 0), instance(2, "b", 0, 0));
        long[] packets = {0};
        long[] seconds = {0};
        Runnable step = () -> m.apply(snap(seconds[0]++, two, new FlowEdge(1, 2, Kind.BROADCAST, packets[0], packets[0] * 100)));
        step.run();
        packets[0] += 99;
        step.run();
        assertFalse(m.node(1).storming(), "99/s is below the threshold");
        packets[0] += 150;
        step.run();
        assertTrue(m.node(1).storming());
        assertEquals(List.of(m.node(1)), m.storms());
        packets[0] += 60;
        step.run();
        assertTrue(m.node(1).storming(), "60/s is above half the threshold: still a storm");
        packets[0] += 40;
        step.run();
        assertFalse(m.node(1).storming(), "40/s ends it");
        assertFalse(m.node(2).storming(), "receivers never storm");
    }

    @Test
    void instanceThatLeftFadesThenGoes() {
        TopologyModel m = new TopologyModel();
        m.apply(snap(0, List.of(instance(1, "a", 0, 0), instance(2, "b", 0, 0))));
        m.apply(snap(1, List.of(instance(1, "a", 0, 0))));
        assertNull(m.node(2));
        assertEquals(2, m.nodes().size(), "b still fading");
        assertEquals(1, m.presentCount());
        assertEquals(List.of(FlowEdge.SERVER, 1), m.matrix().endpoints(), "the matrix shows only who is connected");
        assertFalse(m.prune(SECOND + TopologyModel.LEAVE_NANOS - 1));
        assertTrue(m.prune(SECOND + TopologyModel.LEAVE_NANOS));
        assertEquals(1, m.nodes().size());
    }

    @Test
    void flowsOfInstancesThatLeftAreIgnored() {
        TopologyModel m = new TopologyModel();
        m.apply(snap(0, List.of(instance(1, "a", 0, 0))));
        m.apply(snap(1, List.of(instance(1, "a", 0, 0)), new FlowEdge(7, 1, Kind.CLIENT_TO_CLIENT, 5, 500)));
        assertTrue(m.rates().isEmpty());
        assertTrue(m.clientToClient().isEmpty());
    }
}
