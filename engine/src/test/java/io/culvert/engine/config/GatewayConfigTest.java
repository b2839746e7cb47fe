package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.report.ImportReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code culvert-gateway} in a server config: what it turns on, what it pushes, and the errors at its line. */
class GatewayConfigTest {
    /** Six lines, so the directive that follows is on line 7. */
    private static final String BASE = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\n";

    @Test
    void gatewayMasqueradesThePoolNetworkAndPushesTheRedirectAndResolversBeforeKeepalive() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "culvert-gateway eth0 ipv4 192.0.2.53 2001:db8::53\nkeepalive 10 60\n");
        Gateway g = c.routing().gateway();
        assertEquals(new Gateway("eth0", true, false, List.of("192.0.2.53", "2001:db8::53"), "10.8.0.0/24", null, 7), g);
        assertEquals(List.of("route 10.8.0.1", "topology net30", "redirect-gateway def1", "dhcp-option DNS 192.0.2.53",
                "dhcp-option DNS6 2001:db8::53", "ping 10", "ping-restart 60"), c.routing().pushes());
    }

    @Test
    void autoAndBothWithServerIpv6MasqueradeBothNetworks() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "culvert-gateway auto both\nserver-ipv6 2001:db8:0:123::/64\n");
        Gateway g = c.routing().gateway();
        assertNull(g.outbound(), "auto: the default route's interface, found at start");
        assertEquals("10.8.0.0/24", g.sourceV4());
        assertEquals("2001:db8:0:123::/64", g.sourceV6());
        assertTrue(c.routing().pushes().contains("redirect-gateway def1 ipv6"), c.routing().pushes().toString());
    }

    @Test
    void explicitPoolIsMasqueradedAsARange() throws Exception {
        ServerConfig c = ServerConfigTest.text("dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\nmode server\n"
                + "tls-server\ntopology subnet\nifconfig 10.9.0.1 255.255.255.0\nifconfig-pool 10.9.0.10 10.9.0.99\n"
                + "culvert-gateway wan0\n");
        assertEquals("10.9.0.10-10.9.0.99", c.routing().gateway().sourceV4());
    }

    @Test
    void setenvOptWrapsItSoStockOpenvpnSkipsTheLineAndCulvertStillAppliesIt() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "setenv opt culvert-gateway eth1\n");
        assertEquals("eth1", c.routing().gateway().outbound());
        assertNull(ServerConfigTest.text(BASE).routing().gateway(), "off unless asked for");
    }

    @Test
    void aBadInterfaceNameIsRefusedAtItsLine() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway eth0/evil\n"));
        assertEquals(7, e.line());
        assertEquals("culvert-gateway", e.directive());
        assertTrue(e.getMessage().startsWith("line 7: "), e.getMessage());
        assertTrue(e.detail().contains("'eth0/evil' is not an interface name"), e.detail());
        OvpnParseException tooLong = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway abcdefghijklmnop\n"));
        assertTrue(tooLong.detail().contains("'abcdefghijklmnop' is not an interface name"), tooLong.detail());
        OvpnParseException quote = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway 'eth0\" accept'\n"));
        assertTrue(quote.detail().contains("is not an interface name"), quote.detail());
    }

    @Test
    void aBadFamilyOrResolverIsRefusedAtItsLine() {
        OvpnParseException word = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway eth0 ipv5\n"));
        assertEquals(7, word.line());
        assertTrue(word.detail().contains("'ipv5' is neither ipv4, ipv6 nor both, nor a resolver's IP address"),
                word.detail());
        OvpnParseException none = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + "culvert-gateway\n"));
        assertTrue(none.getMessage().startsWith("line 7: "), none.getMessage());
    }

    @Test
    void whatTheServerCannotDoIsRefusedAtTheLine() {
        OvpnParseException v6 = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway eth0 ipv6\n"));
        assertEquals(7, v6.line());
        assertTrue(v6.detail().contains("needs 'server-ipv6'"), v6.detail());
        OvpnParseException twice = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "culvert-gateway eth0\nculvert-gateway eth1\n"));
        assertEquals(8, twice.line());
        assertTrue(twice.detail().contains("already given on line 7"), twice.detail());
        OvpnParseException bridge = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text("dev tap\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
                        + "server-bridge 192.168.1.1 255.255.255.0 192.168.1.100 192.168.1.150\nculvert-gateway eth0\n"));
        assertTrue(bridge.detail().contains("not server-bridge"), bridge.detail());
    }

    @Test
    void importSaysStockOpenvpnCannotDoThis() throws Exception {
        ImportReport r = ImportReport.of(io.culvert.engine.config.file.OvpnFile.parse(BASE + "culvert-gateway eth0\n"),
                Directives.Role.SERVER);
        ImportReport.Item item = r.items().stream().filter(i -> i.directive().equals("culvert-gateway")).findFirst()
                .orElseThrow();
        assertEquals(ImportReport.Status.SUPPORTED, item.status());
        assertTrue(item.note().contains("stock OpenVPN cannot do this"), item.note());
        ImportReport wrapped = ImportReport.of(io.culvert.engine.config.file.OvpnFile.parse(
                BASE + "setenv opt culvert-gateway eth0\n"), Directives.Role.SERVER);
        assertTrue(wrapped.problems().isEmpty(), wrapped.problems().toString());
        assertTrue(wrapped.items().stream().anyMatch(i -> i.directive().contains("culvert-gateway")
                && i.note() != null && i.note().contains("stock OpenVPN cannot do this")), wrapped.items().toString());
    }

    /** Issue 13: "let clients reach these networks". */
    @Test
    void natRoutesPushTheRouteAndCarryTheClientsNetwork() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "culvert-nat-route 192.168.50.0/24\n"
                + "setenv opt culvert-nat-route 172.16.0.0/12 lan0 routed\nculvert-nat-route 10.1.0.0/16 nat\n");
        assertEquals(List.of(new NatRoute("192.168.50.0", 24, null, true, "10.8.0.0/24", 7),
                new NatRoute("172.16.0.0", 12, "lan0", false, "10.8.0.0/24", 8),
                new NatRoute("10.1.0.0", 16, null, true, "10.8.0.0/24", 9)), c.routing().natRoutes());
        assertTrue(c.routing().pushes().containsAll(List.of("route 192.168.50.0 255.255.255.0",
                "route 172.16.0.0 255.240.0.0", "route 10.1.0.0 255.255.0.0")), c.routing().pushes().toString());
        assertNull(c.routing().gateway(), "a NAT route is not gateway mode");
        assertTrue(ServerConfigTest.text(BASE).routing().natRoutes().isEmpty());
    }

    @Test
    void aBadNatRouteIsRefusedAtItsLine() {
        for (String[] bad : new String[][] {
                {"culvert-nat-route 192.168.50.0\n", "'192.168.50.0' is not an IPv4 network like 192.168.50.0/24"},
                {"culvert-nat-route 192.168.50.1/24\n", "has host bits set; the network is 192.168.50.0/24"},
                {"culvert-nat-route 192.168.50.0/33\n", "is not an IPv4 network"},
                {"culvert-nat-route 192.168.50.0/24 eth0/x\n", "'eth0/x' is not an interface name"},
                {"culvert-nat-route 192.168.50.0/24 eth0 masq\n", "'masq' is neither nat nor routed"},
                {"culvert-nat-route\n", ""}}) {
            OvpnParseException e = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + bad[0]),
                    bad[0]);
            assertEquals(7, e.line(), bad[0]);
            assertTrue(e.getMessage().startsWith("line 7: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        OvpnParseException bridge = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text("dev tap\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
                        + "server-bridge 192.168.1.1 255.255.255.0 192.168.1.100 192.168.1.150\nculvert-nat-route 10.1.0.0/16\n"));
        assertEquals(7, bridge.line());
        assertTrue(bridge.detail().contains("not server-bridge"), bridge.detail());
    }
}
