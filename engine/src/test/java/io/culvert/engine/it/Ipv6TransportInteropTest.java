package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tunnel carried over IPv6: the server listens with {@code proto udp6|tcp6-server} on an IPv6 address and the
 * client names it in {@code remote}. Stock client → Culvert server and Culvert client → stock server.
 */
@NetnsTest
class Ipv6TransportInteropTest {
    private static final String SERVER6 = "fd00:201::1";
    private static final String CLIENT6 = "fd00:201::2";

    static Stream<Arguments> protocols() {
        return Stream.of(Arguments.of("udp", "udp6", "udp6"), Arguments.of("tcp", "tcp6-server", "tcp6-client"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("protocols")
    void tunnelsRunOverIpv6(String proto, String serverProto, String clientProto, @TempDir Path dir) throws Exception {
        Scenario s = new Scenario(proto, "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
        try (Topology topology = Topology.create(dir, "6srv", List.of("6cli"))) {
            Netns srv = topology.serverNs();
            Netns cli = topology.clientNs(1);
            VethLink link = topology.link(1);
            Duration t = Duration.ofSeconds(10);
            srv.exec(t, "ip", "-6", "addr", "add", SERVER6 + "/64", "dev", link.nameA(), "nodad").orThrow("v6 server");
            cli.exec(t, "ip", "-6", "addr", "add", CLIENT6 + "/64", "dev", link.nameB(), "nodad").orThrow("v6 client");
            assertTrue(cli.ping(SERVER6, 1).noLoss(), "the IPv6 link itself works");
            TestPki pki = topology.pki();
            Path server = dir.resolve("server.conf");
            Files.writeString(server, s.serverConfig(pki, SERVER6, 1194).replace("proto " + proto + "\n", "proto " + serverProto + "\n"));
            Path client = dir.resolve("client.ovpn");
            Files.writeString(client, s.clientConfig(pki, SERVER6, 1194, true).replace("proto " + proto + "\n", "proto " + clientProto + "\n"));

            try (OpenvpnProcess ours = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", server.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess stock = OpenvpnProcess.stock(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                PingResult p = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(p.noLoss(), () -> "stock client → culvert server over IPv6:\n" + p.output() + stock.logTail(20)
                        + "\nserver:\n" + ours.logTail(20));
                assertTrue(ours.log().contains(CLIENT6), () -> "the server sees the client's IPv6 address:\n" + ours.logTail(20));
            }
            try (OpenvpnProcess stock = OpenvpnProcess.stock(srv, server, dir).awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess ours = OpenvpnProcess.culvertClient(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                PingResult p = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(p.noLoss(), () -> "culvert client → stock server over IPv6:\n" + p.output() + ours.logTail(20)
                        + "\nserver:\n" + stock.logTail(20));
            }
        }
    }
}
