package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code route-table} on a {@code ./culvert client} against a stock server. OpenVPN 2.7 ({@code options.c}) gives each
 * {@code route}/{@code route-ipv6} line the table read before it and the pushed routes the profile's last one; a stock
 * 2.7 client and a Culvert client running the same profile leave the same routes in each table; in a server config,
 * the server's own routes do the same against a stock 2.7 server. (Stock 2.6 does not know the option, so only 2.7
 * can run these files.)
 */
@NetnsTest
@ControlPlaneOnly
class RouteTableInteropTest {
    /** The routes of both profiles and the push, by prefix: which table each lands in is what is compared. */
    private static final List<String> PREFIXES =
            List.of("10.95.0.0/24", "10.96.0.0/24", "10.97.0.0/24", "10.98.0.0/24", "10.99.0.0/24", "fd96::/64",
                    "fd97::/64", "fd99::/64");
    private static final List<String> TABLES = List.of("main", "100", "200", "300");
    private static final String SERVER = "server-ipv6 fd77::/64\npush \"route 10.99.0.0 255.255.255.0\"\n"
            + "push \"route-ipv6 fd99::/64\"\n";
    private static final String PER_LINE = "route 10.95.0.0 255.255.255.0\nroute-table 100\nroute 10.96.0.0 255.255.255.0\n"
            + "route-ipv6 fd96::/64\nroute-table 200\nroute 10.97.0.0 255.255.255.0\nroute-ipv6 fd97::/64\n"
            + "route 10.98.0.0 255.255.255.0\nroute-table 300\n";

    @Test
    void routesGoToTheConfiguredTable(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "push \"route 10.99.0.0 255.255.255.0\"\n",
                "route-table 100\nroute 10.98.0.0 255.255.255.0\n")) {
            OpenvpnProcess client = rig.startCulvertClient();
            String table = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show", "table", "100").output();
            String main = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show").output();
            System.out.println("route-table 100:\n" + table + "main:\n" + main);
            assertTrue(table.contains("10.98.0.0/24") && table.contains("10.99.0.0/24"), () -> table + "\n" + client.logTail(20));
            assertFalse(main.contains("10.98.0.0/24") || main.contains("10.99.0.0/24"), main);
            client.stop();
            String after = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show", "table", "100").output();
            assertFalse(after.contains("10.98.0.0/24") || after.contains("10.99.0.0/24"), () -> "routes left behind:\n" + after);
        }
    }

    /**
     * Routes above the first {@code route-table} stay in main, each later line takes the table before it, the pushed
     * IPv4 and IPv6 routes the last one (300): {@code ip route show table N} is the same under stock 2.7 and Culvert,
     * and both take their routes out again at disconnect.
     */
    @Test
    @Openvpn27Test
    void eachRouteLineTakesTheTableBeforeItAsStock27Does(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, SERVER, PER_LINE)) {
            OpenvpnProcess stock = rig.startClient("stock27-client.log", StockOpenvpn.openvpn27().toString(), "--cd",
                    dir.toString(), "--config", "%s");
            Map<String, List<String>> underStock = tunnelRoutes(rig);
            stock.stop();
            assertEquals(empty(), tunnelRoutes(rig), "stock 2.7 left routes behind");
            OpenvpnProcess culvert = rig.startCulvertClient();
            Map<String, List<String>> underCulvert = tunnelRoutes(rig);
            culvert.stop();
            System.out.println("stock 2.7: " + underStock + "\nculvert:   " + underCulvert);
            assertEquals(Map.of("main", List.of("10.95.0.0/24"), "100", List.of("10.96.0.0/24", "fd96::/64"),
                    "200", List.of("10.97.0.0/24", "10.98.0.0/24", "fd97::/64"), "300", List.of("10.99.0.0/24", "fd99::/64")),
                    underStock, "stock 2.7 itself");
            assertEquals(underStock, underCulvert, () -> culvert.logTail(30));
            assertEquals(empty(), tunnelRoutes(rig), "Culvert left routes behind");
        }
    }

    /**
     * A server config with {@code route-table}: the server's own {@code route}/{@code route-ipv6} lines (what an
     * {@code iroute} needs) take the table read before them, the {@code server} helper's net30 route the last one. A
     * stock 2.7 server and {@code ./culvert server} with the same file leave the same routes in each table, and take
     * them out when they stop.
     */
    @Test
    @Openvpn27Test
    void aServersRoutesGoToTheTableBeforeThemAsStock27Does(@TempDir Path dir) throws Exception {
        Scenario net30 = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "net30", "tun");
        try (Netns ns = Netns.create("rtsrv")) {
            TestPki pki = TestPki.create(dir.resolve("pki"));
            Path config = dir.resolve("server.conf");
            java.nio.file.Files.writeString(config, "route 10.91.0.0 255.255.255.0\nroute-table 100\n"
                    + net30.serverConfig(pki, null, 1194) + "server-ipv6 fd92::/64\nroute 10.92.0.0 255.255.255.0\n"
                    + "route-ipv6 fd93::/64\nroute-table 200\nroute 10.94.0.0 255.255.255.0\n");
            Map<String, List<String>> before = serverRoutes(ns);
            Map<String, List<String>> underStock;
            try (OpenvpnProcess stock = OpenvpnProcess.command(ns, dir, dir.resolve("stock27-server.log"),
                    StockOpenvpn.openvpn27().toString(), "--cd", dir.toString(), "--config", config.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                underStock = serverRoutes(ns);
                stock.stop();
            }
            assertEquals(before, serverRoutes(ns), "stock 2.7 left routes behind");
            Map<String, List<String>> underCulvert;
            try (OpenvpnProcess culvert = OpenvpnProcess.command(ns, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", config.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                underCulvert = serverRoutes(ns);
                String log = culvert.log();
                culvert.stop();
                System.out.println("stock 2.7: " + underStock + "\nculvert:   " + underCulvert);
                assertFalse(log.contains("'route-table' ignored"), log);
            }
            assertEquals(Map.of("main", List.of("10.91.0.0/24 via 10.77.0.2 dev tun0"),
                    "100", List.of("10.92.0.0/24 via 10.77.0.2 dev tun0", "fd93::/64 dev tun0 metric 1024 pref medium"),
                    "200", List.of("10.77.0.0/24 via 10.77.0.2 dev tun0", "10.94.0.0/24 via 10.77.0.2 dev tun0")),
                    underStock, "stock 2.7 itself");
            assertEquals(underStock, underCulvert);
            assertEquals(before, serverRoutes(ns), "Culvert left routes behind");
        }
    }

    /** Per table, the routes not made by the kernel for an address ({@code ip route}, then {@code ip -6 route}). */
    private static Map<String, List<String>> serverRoutes(Netns ns) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (String t : TABLES) {
            List<String> lines = java.util.stream.Stream.concat(
                    ns.exec(Duration.ofSeconds(5), "ip", "route", "show", "table", t).output().lines(),
                    ns.exec(Duration.ofSeconds(5), "ip", "-6", "route", "show", "table", t).output().lines())
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.contains("proto kernel"))
                    .filter(l -> !l.startsWith("Error:") && !l.equals("Dump terminated")).toList(); // a table never used
            if (!lines.isEmpty()) {
                byTable.put(t, lines);
            }
        }
        return byTable;
    }

    /** Per table, the test's prefixes found in {@code ip route show table T} and {@code ip -6 route show table T}. */
    private static Map<String, List<String>> tunnelRoutes(InteropRig rig) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (String t : TABLES) {
            String shown = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route", "show", "table", t).output()
                    + rig.clientNs().exec(Duration.ofSeconds(5), "ip", "-6", "route", "show", "table", t).output();
            List<String> found = PREFIXES.stream().filter(p -> shown.lines().anyMatch(l -> l.startsWith(p + " "))).toList();
            if (!found.isEmpty()) {
                byTable.put(t, found);
            }
        }
        return byTable;
    }

    private static Map<String, List<String>> empty() {
        return Map.of();
    }
}
