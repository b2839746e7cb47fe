package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IPv6 inside the tunnel: a stock openvpn 2.6 server with {@code server-ipv6 fd00:77::/64} and a pushed
 * {@code route-ipv6 fd00:78::/64}; {@code ./culvert client} must take its IPv6 address, reach the server's
 * tunnel address and the pushed network by ping, and carry a verified IPv6 TCP stream.
 */
@NetnsTest
class Ipv6InteropTest {
    private static final String SERVER6 = "fd00:77::1";
    private static final String PUSHED_NET6 = "fd00:78::/64";
    private static final String PUSHED_HOST6 = "fd00:78::1";
    private static final String SERVER_EXTRA = """
            server-ipv6 fd00:77::/64
            push "route-ipv6 fd00:78::/64"
            """;
    private static final Pattern INET6 = Pattern.compile("inet6 (fd00:77::[0-9a-f:]+)/64");
    private static final Duration T = Duration.ofSeconds(20);

    static Stream<Scenario> scenarios() {
        return Stream.of(
                Scenario.UDP_TLS_CRYPT_GCM,
                new Scenario("tcp", "AES-256-GCM", null, "tls-auth", "net30", "tun"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void carriesIpv6InsideTheTunnel(Scenario scenario, @TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(scenario, dir, SERVER_EXTRA, "")) {
            rig.serverNs().exec(T, "ip", "-6", "addr", "add", PUSHED_HOST6 + "/128", "dev", "lo").orThrow("pushed host");

            OpenvpnProcess stock = rig.startStockClient();
            PingResult stockPing = ping6(rig, SERVER6, 3);
            assertTrue(stockPing.noLoss(), () -> "stock client with the same profile failed:\n" + stockPing.output()
                    + "\n" + stock.logTail(30));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            String why = "\nclient log:\n" + client.logTail(30) + "\nserver log:\n" + rig.server().logTail(20);
            String addr6 = rig.clientNs().exec(T, "ip", "-6", "addr", "show", "dev", "tun0").output();
            Matcher m = INET6.matcher(addr6);
            assertTrue(m.find(), "client has no fd00:77::/64 address on tun0:\n" + addr6 + why);
            assertFalse(m.group(1).equals(SERVER6), addr6);
            assertTrue(client.log().contains(m.group(1)), "the client log should name its IPv6 address" + why);

            String routes6 = rig.clientNs().exec(T, "ip", "-6", "route", "show").output();
            assertTrue(routes6.lines().anyMatch(l -> l.startsWith(PUSHED_NET6) && l.contains("dev tun0")),
                    "pushed route-ipv6 missing:\n" + routes6 + why);

            PingResult ping = ping6(rig, SERVER6, 5);
            assertTrue(ping.noLoss(), "ping -6 to the server's tunnel address failed:\n" + ping.output() + why);
            PingResult pushed = ping6(rig, PUSHED_HOST6, 3);
            assertTrue(pushed.noLoss(), "ping -6 through the pushed route-ipv6 failed:\n" + pushed.output() + why);

            TcpBlast.Result blast = TcpBlast.transfer(rig.clientNs(), rig.serverNs(), SERVER6, 20L << 20);
            assertTrue(blast.ok(), "IPv6 bulk transfer failed:\n" + blast.report() + why);
            System.out.printf("ipv6 %s: %s, rtt %.2f ms, 20 MiB at %.1f Mbit/s%n", scenario, m.group(1), ping.avgRttMillis(),
                    blast.mbitPerSec());

            client.stop();
            assertEquals(0, client.process().exitValue(), why);
            String after = rig.clientNs().exec(T, "ip", "-6", "route", "show").output();
            assertFalse(after.contains("fd00:78::"), "route-ipv6 left behind:\n" + after);
            assertFalse(rig.clientNs().exec(T, "ip", "link", "show", "dev", "tun0").ok(), "tun0 left behind");
        }
    }

    private static PingResult ping6(InteropRig rig, String addr, int count) {
        return rig.clientNs().ping(addr, count, "-6");
    }
}
