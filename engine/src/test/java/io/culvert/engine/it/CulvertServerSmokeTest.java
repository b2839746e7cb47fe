package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A stock openvpn 2.6 client and a Culvert client each join {@code ./culvert server} with the interop configs. */
@NetnsTest
class CulvertServerSmokeTest {

    static Stream<Scenario> scenarios() {
        return Stream.of(Scenario.UDP_TLS_CRYPT_GCM, Scenario.TCP_TLS_AUTH_CBC_TAP,
                new Scenario("udp", "CHACHA20-POLY1305", null, "none", "net30", "tun"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void stockAndCulvertClientsJoinCulvertServer(Scenario scenario, @TempDir Path dir) throws Exception {
        try (TwoHosts hosts = TwoHosts.create("c", scenario, dir, 1194)) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                try (OpenvpnProcess stock = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult ping = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 5);
                    assertTrue(ping.noLoss(), () -> ping.output() + "\nclient:\n" + stock.logTail(30) + "\nserver:\n" + server.logTail(40));
                    TcpBlast.Result blast = TcpBlast.transfer(cli, srv, Scenario.SERVER_TUNNEL_ADDR, 20L << 20);
                    assertTrue(blast.ok(), () -> blast.report() + "\nserver:\n" + server.logTail(40));
                    PingResult warm = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 20);
                    System.out.printf("stock client → culvert server %s: %.1f Mbit/s, rtt %.2f ms cold, %.2f ms warm%n%s%n", scenario,
                            blast.mbitPerSec(), ping.avgRttMillis(), warm.avgRttMillis(), warm.output());
                }
                try (OpenvpnProcess culvert = OpenvpnProcess.culvertClient(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult ping = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 5);
                    assertTrue(ping.noLoss(), () -> ping.output() + "\nclient:\n" + culvert.logTail(30) + "\nserver:\n" + server.logTail(40));
                }
            }
        }
    }
}
