package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stock client leaves {@code ./culvert server} (UDP: explicit-exit-notify; TCP: connection closed) and comes
 * back: the server drops its instance and flow edges at once, and the client rejoins with working client-to-client.
 */
@NetnsTest
class ServerChurnInteropTest {

    static Stream<Scenario> scenarios() {
        return Stream.of(Scenario.UDP_TLS_CRYPT_GCM, new Scenario("tcp", "AES-256-GCM", null, "tls-auth", "subnet", "tap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void clientLeavesAndRejoins(Scenario scenario, @TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(scenario, dir, 3, "client-to-client")) {
            rig.startCulvertServer();
            List<OpenvpnProcess> clients = rig.startStockClients();
            CulvertServerInteropTest.assertMesh(rig);
            clients.get(1).stop();
            StatusSnapshot gone = awaitClients(rig, List.of("client1", "client3"));
            assertTrue(gone.flows().stream().noneMatch(l -> l.contains("client2")), gone.text());
            rig.startStockClient(2);
            awaitClients(rig, List.of("client1", "client2", "client3"));
            // A rejoining TAP client has a new tap0 with a new MAC; the others' ARP entries still name the old one.
            for (int i = 1; i <= 3; i++) {
                rig.clientNs(i).exec(Duration.ofSeconds(5), "ip", "neigh", "flush", "all");
            }
            CulvertServerInteropTest.assertMesh(rig);
        }
    }

    private static StatusSnapshot awaitClients(MultiClientRig rig, List<String> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (true) {
            StatusSnapshot s = rig.awaitFreshStatus();
            if (s.commonNames().stream().sorted().toList().equals(expected)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                assertEquals(expected, s.commonNames().stream().sorted().toList(), s.text() + "\n" + rig.serverLogTail(30));
            }
        }
    }
}
