package io.culvert.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.FleetView;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fleet's reading as one snapshot: a client's traffic to a client on another server is an edge between the two (ADR 0056). */
class FleetSnapshotsTest {
    private static final Instant T = Instant.parse("2026-12-07T07:00:00Z");
    private static final int A1 = 0; // alice, peer 0 on server 0
    private static final int B1 = (1 << 24) | 3; // carol, peer 3 on server 1

    @Test
    void aClientsTrafficToAClientOnAnotherServerIsAnEdgeBetweenTheTwo() {
        TopologySnapshot s = FleetSnapshots.of(view(), null, "fleet", Messages.of("topology"));
        assertEquals(List.of(new FlowEdge(A1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 10, 840),
                new FlowEdge(B1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336),
                new FlowEdge(A1, B1, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336),
                new FlowEdge(B1, A1, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336)), s.flows());
    }

    @Test
    void theServerFilterHidesTheEdgeWhenTheOtherSideIsNotShown() {
        TopologySnapshot berlin = FleetSnapshots.of(view(), "berlin", "fleet", Messages.of("topology"));
        assertEquals(List.of(new FlowEdge(A1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 10, 840)), berlin.flows());
        TopologySnapshot lisbon = FleetSnapshots.of(view(), "lisbon", "fleet", Messages.of("topology"));
        assertEquals(List.of(new FlowEdge(B1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336)), lisbon.flows());
    }

    @Test
    void trafficToAnAddressNoClientHoldsAddsNothing() {
        FleetView v = view();
        FleetView.Server a = v.servers().get(0);
        FleetView.Server unknown = new FleetView.Server(a.name(), T, a.health(), a.pools(), a.instances(), a.flows(),
                List.of(new FleetView.RemoteFlow(0, "10.78.0.5", 9, 900)), List.of());
        TopologySnapshot s = FleetSnapshots.of(new FleetView(T, List.of(unknown, v.servers().get(1))), null, "fleet",
                Messages.of("topology"));
        // alice keeps only her edge to her own server; carol's answers to alice are still drawn
        assertEquals(List.of(new FlowEdge(A1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 10, 840),
                new FlowEdge(B1, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336),
                new FlowEdge(B1, A1, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336)), s.flows());
    }

    /** alice (10.77.0.2) on berlin pings carol (10.78.0.6) on lisbon four times; each counts its side. */
    private static FleetView view() {
        InstanceInfo alice = InstanceInfo.builder(0, "alice").realAddress("198.51.100.7:51000").virtualAddresses(List.of("10.77.0.2")).connectedSince(T).build();
        InstanceInfo carol = InstanceInfo.builder(3, "carol").realAddress("203.0.113.9:40000").virtualAddresses(List.of("10.78.0.6")).connectedSince(T).build();
        FleetView.Server berlin = new FleetView.Server("berlin", T, FleetView.Health.HEALTHY, List.of("10.77.0.0/29"), List.of(alice),
                List.of(new FlowEdge(0, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 10, 840)),
                List.of(new FleetView.RemoteFlow(0, "10.78.0.6", 4, 336)), List.of());
        FleetView.Server lisbon = new FleetView.Server("lisbon", T, FleetView.Health.HEALTHY, List.of("10.78.0.0/29"), List.of(carol),
                List.of(new FlowEdge(3, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336)),
                List.of(new FleetView.RemoteFlow(3, "10.77.0.2", 4, 336)), List.of());
        return new FleetView(T, List.of(berlin, lisbon));
    }
}
