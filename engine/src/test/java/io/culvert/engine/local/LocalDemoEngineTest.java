package io.culvert.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.Demo;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.ServerHandle;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo is a real server with real clients over loopback: its counters show every kind of traffic. */
class LocalDemoEngineTest {

    @Test
    void demoConnectsItsClientsAndDrivesEveryKindOfTraffic() throws Exception {
        Demo demo = new LocalDemoEngine(InstantSource.system()).startDemo(6, e -> { });
        try {
            ServerHandle server = demo.server();
            assertEquals(List.of("alice", "bob", "carol", "dave", "erin", "frank"), demo.clientNames());
            assertEquals(Set.of("alice", "bob", "carol", "dave", "erin", "frank"),
                    server.instances().stream().map(InstanceInfo::commonName).collect(Collectors.toSet()));
            assertTrue(server.listenAddress().startsWith("127.0.0.1:"), server.listenAddress());
            demo.storm(true);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!allKinds(server.flows()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<FlowEdge> flows = server.flows();
            assertTrue(allKinds(flows), "flows " + flows);
            int alice = peer(server, "alice");
            int bob = peer(server, "bob");
            int frank = peer(server, "frank");
            assertTrue(flows.stream().anyMatch(f -> f.source() == alice && f.destination() == bob
                    && f.kind() == FlowEdge.Kind.CLIENT_TO_CLIENT && f.bytes() > 0), "alice → bob client-to-client");
            assertTrue(flows.stream().anyMatch(f -> f.source() == FlowEdge.SERVER && f.destination() == alice
                    && f.kind() == FlowEdge.Kind.UNICAST_VIA_SERVER), "server answers alice");
            int dave = peer(server, "dave");
            while (deniedDaveToFrank(server.flows(), dave, frank) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<FlowEdge> now = server.flows();
            assertTrue(deniedDaveToFrank(now, dave, frank) > 0, () -> "dave → frank denied by the pair policy: "
                    + now + "\n" + server.instances());
            assertTrue(now.stream().noneMatch(f -> f.source() == dave && f.destination() == frank
                    && f.kind() == FlowEdge.Kind.CLIENT_TO_CLIENT), "nothing from dave reaches frank");
            Thread.sleep(500);
            long stormCopies = server.flows().stream().filter(f -> f.source() == frank && f.kind() == FlowEdge.Kind.BROADCAST)
                    .mapToLong(FlowEdge::packets).max().orElse(0);
            assertTrue(stormCopies > 50, "frank floods: " + stormCopies);
        } finally {
            demo.stop();
        }
        assertTrue(demo.server().awaitStopped(1000));
    }

    @Test
    void refusesMoreClientsThanItHasCertificates() {
        assertThrows(EngineException.class, () -> new LocalDemoEngine(InstantSource.system()).startDemo(9, e -> { }));
    }

    private static long deniedDaveToFrank(List<FlowEdge> flows, int dave, int frank) {
        return flows.stream().filter(f -> f.source() == dave && f.destination() == frank && f.kind() == FlowEdge.Kind.DENIED)
                .mapToLong(FlowEdge::packets).sum();
    }

        private static boolean allKinds(List<FlowEdge> flows) {
        return flows.stream().map(FlowEdge::kind).collect(Collectors.toSet()).size() == FlowEdge.Kind.values().length;
    }

    private static int peer(ServerHandle server, String cn) {
        return server.instances().stream().filter(i -> i.commonName().equals(cn)).findFirst().orElseThrow().peerId();
    }
}
