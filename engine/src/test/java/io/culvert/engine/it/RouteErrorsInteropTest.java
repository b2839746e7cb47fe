package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routes that cannot be installed do not stop a tunnel, as in stock openvpn: the server pushes a route the client
 * has already (subnet: the tunnel's own connected prefix; net30: the {@code server} helper's own pushed route again),
 * another route twice, and a route the client namespace holds already (a blackhole put there before the tunnel); the
 * server's own {@code route} collides with a route in its namespace too. In each pairing with a Culvert end the tunnel
 * comes up and carries pings to the server and through the pushed route; a Culvert client names the refused routes in
 * its log, a Culvert server its refused route; after the client stops, the routes that were there before it are still
 * there and none that it added is left.
 */
@NetnsTest
class RouteErrorsInteropTest {
    private static final int PORT = 1194;
    private static final String PUSHED_HOST = "10.78.0.1";
    private static final String PRESENT_NET = "10.79.0.0/24";
    private static final Duration T = Duration.ofSeconds(20);
    private static final String EXISTS = "RTNETLINK answers: File exists";
    private static final String EXTRA = """
            push "route 10.78.0.0 255.255.255.0"
            push "route 10.78.0.0 255.255.255.0"
            push "route 10.79.0.0 255.255.255.0"
            route 10.79.0.0 255.255.255.0
            """;

    @ParameterizedTest(name = "topology {0}")
    @ValueSource(strings = {"subnet", "net30"})
    void refusedRoutesAreLoggedAndTheTunnelCarriesTraffic(String topology, @TempDir Path dir) throws IOException {
        Scenario scenario = topology.equals("subnet") ? Scenario.UDP_TLS_CRYPT_GCM : Scenario.UDP_PLAIN_CHACHA_NET30;
        // subnet: the client's address brings 10.77.0.0/24 with it; net30: the server helper pushes "route 10.77.0.1".
        String present = topology.equals("subnet") ? "push \"route 10.77.0.0 255.255.255.0\"\n" : "push \"route 10.77.0.1\"\n";
        try (TwoHosts hosts = TwoHosts.create("rte" + topology.charAt(0), scenario, dir, PORT)) {
            Files.writeString(hosts.serverConf(), present + EXTRA, StandardOpenOption.APPEND);
            hosts.srv().exec(T, "ip", "addr", "add", PUSHED_HOST + "/32", "dev", "lo").orThrow("pushed host");
            hosts.srv().exec(T, "ip", "route", "add", "blackhole", PRESENT_NET).orThrow("server's route present");
            hosts.cli().exec(T, "ip", "route", "add", "blackhole", PRESENT_NET).orThrow("client's route present");
            for (Pairing pairing : new Pairing[] {Pairing.CULVERT_STOCK, Pairing.STOCK_CULVERT, Pairing.CULVERT_CULVERT}) {
                runPairing(pairing, topology, hosts, dir);
            }
        }
    }

    private static void runPairing(Pairing pairing, String topology, TwoHosts hosts, Path dir) {
        String tag = topology + "-" + pairing.name().toLowerCase(Locale.ROOT);
        try (TunnelPair pair = TunnelPair.start(pairing, OpenvpnProcess.repoRoot().resolve("culvert"), hosts.srv(), hosts.cli(),
                hosts.serverConf(), hosts.clientConf(), dir, tag)) {
            Supplier<String> logs = () -> "\n" + pairing.label() + " " + topology + "\nclient log:\n" + pair.client().logTail(40)
                    + "\nserver log:\n" + pair.server().logTail(25);
            assertTrue(hosts.cli().ping(Scenario.SERVER_TUNNEL_ADDR, 3).noLoss(), () -> "tunnel ping failed" + logs.get());
            assertTrue(hosts.cli().ping(PUSHED_HOST, 3).noLoss(), () -> "ping through the pushed route failed" + logs.get());
            assertTrue(pair.client().isAlive() && pair.server().isAlive(), () -> "an end stopped" + logs.get());
            if (pairing.culvertClient()) {
                String log = pair.client().log();
                assertTrue(log.contains("Route " + PRESENT_NET + " via ") && log.contains("File exists"),
                        () -> "the client's log must name the route that was present already" + logs.get());
                if (topology.equals("subnet")) {
                    assertTrue(log.contains("Route 10.77.0.0/24 via 10.77.0.1 dev tun0 not added: " + EXISTS),
                            () -> "the client's log must name the pushed route it had already" + logs.get());
                }
                assertFalse(log.contains("Route 10.78.0.0/24"), () -> "a route pushed twice is applied once" + logs.get());
            }
            if (pairing.culvertServer()) {
                assertTrue(pair.server().log().contains("Route " + PRESENT_NET + " dev tun0 not added: " + EXISTS)
                                || pair.server().log().contains("Route " + PRESENT_NET + " via 10.77.0.2 dev tun0 not added"),
                        () -> "the server's log must name its route that was present already" + logs.get());
            }
            pair.client().stop();
            String after = hosts.cli().exec(T, "ip", "-4", "route", "show").output();
            assertTrue(after.lines().anyMatch(l -> l.startsWith("blackhole " + PRESENT_NET)),
                    () -> "the route that was there before the client must survive it:\n" + after + logs.get());
            assertFalse(after.contains("10.78.0.0/24") || after.contains("tun0"),
                    () -> "routes left behind:\n" + after + logs.get());
            if (pairing.culvertClient()) {
                assertEquals(0, pair.client().process().exitValue(), () -> "client must exit 0 on SIGTERM" + logs.get());
                assertFalse(pair.client().log().contains("Could not undo"), () -> "undo warnings" + logs.get());
            }
        }
    }
}
