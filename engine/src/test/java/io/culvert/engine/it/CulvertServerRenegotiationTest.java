package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Renegotiation between a stock openvpn 2.6 client and {@code ./culvert server}, started by either side, while
 * pings and a bulk transfer cross the tunnel.
 */
@NetnsTest
class CulvertServerRenegotiationTest {

    @ParameterizedTest(name = "{0} starts, {1}")
    @CsvSource({"server, tls-crypt", "client, tls-auth"})
    void stockClientSurvivesRenegotiationsWithCulvertServer(String initiator, String wrap, @TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("udp", "AES-256-GCM", null, wrap, "subnet", "tun");
        try (Netns srv = Netns.create("rsrv"); Netns cli = Netns.create("rcli")) {
            VethLink link = Netns.link(srv, cli);
            TestPki pki = TestPki.create(dir.resolve("pki"));
            Path serverConf = dir.resolve("server.conf");
            Files.writeString(serverConf, scenario.serverConfig(pki, link.addrA(), 1194)
                    + (initiator.equals("server") ? "reneg-sec 8\n" : "reneg-sec 0\n"));
            Path clientConf = dir.resolve("client.ovpn");
            Files.writeString(clientConf, scenario.clientConfig(pki, link.addrA(), 1194, true)
                    + (initiator.equals("client") ? "reneg-sec 8\n" : "reneg-sec 0\n"));
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess client = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                ExecResult ping = cli.exec(Duration.ofSeconds(60), "ping", "-c", "100", "-i", "0.25", "-W", "2",
                        Scenario.SERVER_TUNNEL_ADDR);
                PingResult result = PingResult.parse(ping.output());
                TcpBlast.Result blast = TcpBlast.transfer(cli, srv, Scenario.SERVER_TUNNEL_ADDR, 30L << 20);
                String serverLog = server.log();
                long renegotiations = serverLog.lines().filter(l -> l.contains("renegotiat")).count();
                System.out.printf("%s-initiated renegotiation (%s): %d log lines, ping loss %.1f %%, blast %s%n", initiator, wrap,
                        renegotiations, result.lossPercent(), blast.ok() ? "ok" : "FAILED");
                assertTrue(renegotiations >= 2, () -> "expected renegotiations in 25 s with reneg-sec 8:\n" + server.logTail(40));
                assertTrue(result.received() >= 99, () -> "pings lost across renegotiation: " + result.output()
                        + "\nclient:\n" + client.logTail(40) + "\nserver:\n" + server.logTail(40));
                assertTrue(blast.ok(), () -> blast.report() + "\nserver:\n" + server.logTail(40));
                assertTrue(client.isAlive());
            }
        }
    }
}
