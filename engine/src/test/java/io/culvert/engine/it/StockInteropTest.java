package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Proves the harness with stock openvpn on both ends. */
@NetnsTest
class StockInteropTest {

    private static final long BLAST_BYTES = 50L * 1024 * 1024;

    static Stream<Scenario> scenarios() {
        return Stream.of(Scenario.UDP_TLS_CRYPT_GCM, Scenario.TCP_TLS_AUTH_CBC_TAP, Scenario.UDP_PLAIN_CHACHA_NET30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void stockClientTunnelsPingAndVerifiedBulkToStockServer(Scenario scenario, @TempDir Path dir) {
        List<String> namespaces;
        try (InteropRig rig = InteropRig.start(scenario, dir)) {
            namespaces = rig.namespaceNames();
            assertTrue(namespaces.stream().allMatch(Netns::exists), "namespaces exist while the rig is open");
            OpenvpnProcess client = rig.startStockClient();

            PingResult ping = rig.pingServer(5);
            assertTrue(ping.noLoss(), () -> "ping through the tunnel lost packets:\n" + ping.output()
                    + "\nclient log:\n" + client.logTail(30));
            assertEquals(0.0, ping.lossPercent());

            TcpBlast.Result blast = rig.blastToServer(BLAST_BYTES);
            assertTrue(blast.ok(), () -> "bulk transfer failed:\n" + blast.report()
                    + "\nclient log:\n" + client.logTail(30) + "\nserver log:\n" + rig.server().logTail(30));
            System.out.printf("%s: rtt %.2f ms, %d MiB in %d ms = %.1f Mbit/s%n",
                    scenario, ping.avgRttMillis(), BLAST_BYTES >> 20, blast.millis(), blast.mbitPerSec());
        }
        List<String> after = Netns.listNamespaces();
        for (String ns : namespaces) {
            assertFalse(after.contains(ns), ns + " must be deleted on close, still have " + after);
        }
    }
}
