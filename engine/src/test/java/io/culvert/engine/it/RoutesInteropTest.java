package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushed routes and {@code redirect-gateway def1} from a stock openvpn 2.6 server: {@code ./culvert client}
 * installs the pushed network and the two /1 routes on the tunnel, keeps the server itself reachable over the
 * original path, and removes everything again on SIGTERM. Two client namespaces: one where the server is
 * on-link and there is no default route, one where the server is reached through a default gateway (so a
 * host route to it is needed, or the tunnel would swallow its own packets).
 */
@NetnsTest
@ControlPlaneOnly
class RoutesInteropTest {
    private static final String PUSHED_NET = "10.78.0.0/24";
    private static final String PUSHED_HOST = "10.78.0.1";
    private static final String GATEWAY = "10.201.1.254";
    private static final String SERVER_EXTRA = """
            push "route 10.78.0.0 255.255.255.0"
            push "redirect-gateway def1"
            push "dhcp-option DNS 10.77.0.1"
            """;
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void redirectsThroughTunnelWhenServerIsOnLink(@TempDir Path dir) throws IOException {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, SERVER_EXTRA, "")) {
            prepareServer(rig);
            String veth = rig.link().nameB();
            assertFalse(routes(rig).contains("default"), "precondition: no default route in the client namespace");

            OpenvpnProcess stock = rig.startStockClient();
            assertTrue(rig.pingServer(3).noLoss(), () -> "stock client with the same profile failed:\n" + stock.logTail(30));
            // Stock openvpn 2.6 redirects without a default route too, and adds no host route for an on-link server;
            // 2.7 adds one on the veth itself ("<server> dev <veth>"), which leaves the server where it was.
            List<String> stockRoutes = routes(rig).lines().toList();
            assertRoute(stockRoutes, "0.0.0.0/1", "tun0", "\nstock client");
            assertRoute(stockRoutes, "128.0.0.0/1", "tun0", "\nstock client");
            List<String> stockHostRoutes = stockRoutes.stream().filter(l -> l.startsWith(rig.serverAddr() + " "))
                    .map(String::strip).toList();
            assertEquals(StockOpenvpn.peerIs27OrLater() ? List.of(rig.serverAddr() + " dev " + veth) : List.of(),
                    stockHostRoutes, stockRoutes::toString);
            stock.stop();

            String resolvBefore = Files.readString(Path.of("/etc/resolv.conf"));
            OpenvpnProcess client = rig.startCulvertClient();
            String why = "\nclient log:\n" + client.logTail(30);
            List<String> up = routes(rig).lines().toList();
            assertRoute(up, PUSHED_NET, "tun0", why);
            assertRoute(up, "0.0.0.0/1", "tun0", why);
            assertRoute(up, "128.0.0.0/1", "tun0", why);
            assertFalse(up.stream().anyMatch(l -> l.startsWith(rig.serverAddr() + " ")),
                    "no host route is needed (or added) for an on-link server:\n" + up);
            assertTrue(routeGet(rig, rig.serverAddr()).contains("dev " + veth), "server must stay on the veth");
            assertTrue(routeGet(rig, "192.0.2.1").contains("dev tun0"), "other traffic must enter the tunnel");

            assertTrue(rig.pingServer(5).noLoss(), "tunnel ping failed" + why);
            assertTrue(rig.clientNs().ping(PUSHED_HOST, 3).noLoss(), "ping through the pushed route failed" + why);
            assertEquals(resolvBefore, Files.readString(Path.of("/etc/resolv.conf")), "the client must not rewrite resolv.conf");

            stopAndAssertClean(rig, client, List.of());
        }
    }

    @Test
    void addsHostRouteToServerWhenReachedThroughGateway(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, SERVER_EXTRA, "")) {
            prepareServer(rig);
            String veth = rig.link().nameB();
            // Reach the server through a gateway: GATEWAY is a second address of the server's veth end.
            rig.serverNs().exec(T, "ip", "addr", "add", GATEWAY + "/24", "dev", rig.link().nameA()).orThrow("gw addr");
            rig.clientNs().exec(T, "ip", "route", "del", "10.201.1.0/24", "dev", veth).orThrow("del on-link");
            rig.clientNs().exec(T, "ip", "route", "add", GATEWAY, "dev", veth).orThrow("gw on-link");
            rig.clientNs().exec(T, "ip", "route", "add", "default", "via", GATEWAY, "dev", veth).orThrow("default");
            assertTrue(routeGet(rig, rig.serverAddr()).contains("via " + GATEWAY), routes(rig));
            String hostRoute = rig.serverAddr() + " via " + GATEWAY + " dev " + veth;

            OpenvpnProcess stock = rig.startStockClient();
            String stockRoutes = routes(rig);
            assertTrue(rig.pingServer(3).noLoss(), () -> "stock client with the same profile failed:\n" + stock.logTail(30));
            assertTrue(stockRoutes.contains(hostRoute), "stock openvpn adds the host route too:\n" + stockRoutes);
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            String why = "\nclient log:\n" + client.logTail(30);
            List<String> up = routes(rig).lines().toList();
            assertRoute(up, PUSHED_NET, "tun0", why);
            assertRoute(up, "0.0.0.0/1", "tun0", why);
            assertRoute(up, "128.0.0.0/1", "tun0", why);
            assertTrue(up.stream().anyMatch(l -> l.startsWith(hostRoute)), "host route to the server missing:\n" + up + why);
            assertTrue(routeGet(rig, rig.serverAddr()).contains("dev " + veth), "server must stay on the veth");
            assertTrue(routeGet(rig, "192.0.2.1").contains("dev tun0"), "other traffic must enter the tunnel");

            assertTrue(rig.pingServer(5).noLoss(), "tunnel ping failed" + why);
            assertTrue(rig.clientNs().ping(PUSHED_HOST, 3).noLoss(), "ping through the pushed route failed" + why);
            TcpBlast.Result blast = rig.blastToServer(8L << 20);
            assertTrue(blast.ok(), "bulk transfer failed:\n" + blast.report() + why);

            stopAndAssertClean(rig, client, List.of(rig.serverAddr() + " "));
            assertTrue(routes(rig).contains("default via " + GATEWAY), "the original default route must survive");
        }
    }

    /**
     * {@code redirect-gateway ipv6} pushed by a stock server reached over IPv6 at an address inside {@code fc00::/7}: a
     * stock client and {@code ./culvert client} with the same profile leave the same IPv6 routes — stock's
     * {@code ::/3}, {@code 2000::/4}, {@code 3000::/4}, {@code fc00::/7} on the tun device, and, since one of them
     * covers the server, a host route to it on the veth (metric 1), so the link to the server stays outside the tunnel.
     */
    @Test
    void redirectGatewayIpv6LeavesTheRoutesStockLeaves(@TempDir Path dir) throws IOException {
        String server6 = "fd00:203::1";
        Scenario s = Scenario.UDP_TLS_CRYPT_GCM;
        try (Netns srv = Netns.create("rg6s"); Netns cli = Netns.create("rg6c")) {
            VethLink link = Netns.link(srv, cli);
            srv.exec(T, "ip", "-6", "addr", "add", server6 + "/64", "dev", link.nameA(), "nodad").orThrow("v6 server");
            cli.exec(T, "ip", "-6", "addr", "add", "fd00:203::2/64", "dev", link.nameB(), "nodad").orThrow("v6 client");
            TestPki pki = TestPki.create(dir.resolve("pki"));
            Path server = dir.resolve("server.conf");
            Files.writeString(server, s.serverConfig(pki, server6, 1194).replace("proto udp\n", "proto udp6\n")
                    + "server-ipv6 fd00:79::/64\npush \"redirect-gateway def1 ipv6\"\n");
            Path client = dir.resolve("client.ovpn");
            Files.writeString(client, s.clientConfig(pki, server6, 1194, true).replace("proto udp\n", "proto udp6\n"));
            List<String> before = routes6(cli);
            try (OpenvpnProcess stockServer = OpenvpnProcess.stock(srv, server, dir).awaitInitialized(InteropRig.STARTUP)) {
                List<String> underStock;
                try (OpenvpnProcess stock = OpenvpnProcess.stock(cli, client, dir).awaitInitialized(InteropRig.STARTUP)) {
                    underStock = routes6(cli);
                    PingResult p = cli.ping("fd00:79::1", 2);
                    assertTrue(p.noLoss(), () -> "stock client:\n" + p.output() + stock.logTail(20));
                }
                OpenvpnProcess culvert = OpenvpnProcess.culvertClient(cli, client, dir).awaitInitialized(InteropRig.STARTUP);
                List<String> underCulvert = routes6(cli);
                String why = "\nclient log:\n" + culvert.logTail(30) + "\nserver log:\n" + stockServer.logTail(10);
                PingResult p = cli.ping("fd00:79::1", 3);
                assertTrue(p.noLoss(), () -> "culvert client:\n" + p.output() + why);
                assertTrue(cli.exec(T, "ip", "-6", "route", "get", server6).output().contains("dev " + link.nameB()), why);
                // issue 12: its own host route to the server leaves the route to the server as it was: no reconnect
                assertFalse(culvert.log().contains("network changed"), why);
                culvert.stop();
                System.out.println("stock:   " + underStock + "\nculvert: " + underCulvert);
                assertEquals(List.of("2000::/4 dev tun0 metric 1024 pref medium", "3000::/4 dev tun0 metric 1024 pref medium",
                        "::/3 dev tun0 metric 1024 pref medium", "fc00::/7 dev tun0 metric 1024 pref medium",
                        server6 + " dev " + link.nameB() + " metric 1 pref medium"),
                        underStock.stream().filter(l -> !before.contains(l)).sorted().toList(), "stock itself");
                assertEquals(underStock, underCulvert, why);
                assertEquals(before, routes6(cli), "Culvert left IPv6 routes behind" + why);
            }
        }
    }

    /** {@code ip -6 route show}, without the kernel's own routes of an address (they differ with each tunnel address). */
    private static List<String> routes6(Netns ns) {
        return ns.exec(T, "ip", "-6", "route", "show").output().lines().map(String::strip)
                .filter(l -> !l.contains("proto kernel")).sorted().toList();
    }

    private static void prepareServer(InteropRig rig) {
        rig.serverNs().exec(T, "ip", "addr", "add", PUSHED_HOST + "/32", "dev", "lo").orThrow("pushed host");
    }

    private static void stopAndAssertClean(InteropRig rig, OpenvpnProcess client, List<String> extraGone) {
        // issue 12: the client's own routes (redirect-gateway, the host route via net_gateway) are no network change
        assertFalse(client.log().contains("network changed"), () -> "reacted to its own routes:\n" + client.logTail(30));
        client.stop();
        assertEquals(0, client.process().exitValue(), () -> "client must exit 0 on SIGTERM:\n" + client.logTail(20));
        String after = routes(rig);
        for (String gone : concat(List.of(PUSHED_NET, "0.0.0.0/1", "128.0.0.0/1", "tun0"), extraGone)) {
            assertFalse(after.lines().anyMatch(l -> l.startsWith(gone) || l.contains("dev " + gone)),
                    "'" + gone + "' left behind after SIGTERM:\n" + after + "\nclient log:\n" + client.logTail(20));
        }
        assertFalse(rig.clientNs().exec(T, "ip", "link", "show", "dev", "tun0").ok(), "tun0 left behind");
        assertFalse(client.log().contains("Could not undo"), () -> "undo warnings:\n" + client.logTail(20));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void assertRoute(List<String> routes, String prefix, String dev, String why) {
        assertTrue(routes.stream().anyMatch(l -> l.startsWith(prefix + " ") && l.contains("dev " + dev)),
                prefix + " via " + dev + " missing:\n" + String.join("\n", routes) + why);
    }

    private static String routes(InteropRig rig) {
        return rig.clientNs().exec(T, "ip", "-4", "route", "show").output();
    }

    private static String routeGet(InteropRig rig, String addr) {
        return rig.clientNs().exec(T, "ip", "route", "get", addr).output();
    }
}
