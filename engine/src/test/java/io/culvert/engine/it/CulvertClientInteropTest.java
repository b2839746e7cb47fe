package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./culvert client} against a stock openvpn 2.6 server, in two namespaces joined by a veth: the tunnel
 * comes up, pings pass, and 50 MiB cross it intact. Every scenario also runs the stock client with the
 * same profile, proving the file is a real OpenVPN profile and not one tailored to Culvert.
 */
@NetnsTest
class CulvertClientInteropTest {
    private static final long BLAST_BYTES = 50L * 1024 * 1024;

    static Stream<Scenario> scenarios() {
        return Stream.of(
                Scenario.UDP_TLS_CRYPT_GCM,
                new Scenario("tcp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun"),
                new Scenario("udp", "CHACHA20-POLY1305", null, "tls-auth", "net30", "tun"),
                new Scenario("tcp", "CHACHA20-POLY1305", null, "none", "subnet", "tun"),
                new Scenario("udp", "AES-256-CBC", "SHA256", "none", "net30", "tun"),
                new Scenario("udp", "AES-256-GCM", null, "tls-auth", "subnet", "tap"),
                Scenario.TCP_TLS_AUTH_CBC_TAP,
                new Scenario("udp", "AES-128-GCM", null, "tls-crypt", "net30", "tap"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void culvertClientTunnelsThroughStockServer(Scenario scenario, @TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(scenario, dir)) {
            OpenvpnProcess stock = rig.startStockClient();
            PingResult stockPing = rig.pingServer(3);
            assertTrue(stockPing.noLoss(), () -> "stock client with the same profile failed:\n" + stock.logTail(30));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            PingResult ping = rig.pingServer(5);
            assertTrue(ping.noLoss(), () -> "ping through the Culvert tunnel lost packets:\n" + ping.output()
                    + "\nclient log:\n" + client.logTail(40) + "\nserver log:\n" + rig.server().logTail(30));
            assertEquals(0.0, ping.lossPercent());

            TcpBlast.Result blast = rig.blastToServer(BLAST_BYTES);
            assertTrue(blast.ok(), () -> "bulk transfer failed:\n" + blast.report()
                    + "\nclient log:\n" + client.logTail(40) + "\nserver log:\n" + rig.server().logTail(30));
            System.out.printf("culvert %s: rtt %.2f ms, %d MiB in %d ms = %.1f Mbit/s%n",
                    scenario, ping.avgRttMillis(), BLAST_BYTES >> 20, blast.millis(), blast.mbitPerSec());

            client.stop();
            assertEquals(0, client.process().exitValue(), () -> "culvert client must exit 0 on SIGTERM:\n" + client.logTail(20));
            assertTrue(client.log().contains("State DISCONNECTED"), () -> client.logTail(20));
        }
    }
}
