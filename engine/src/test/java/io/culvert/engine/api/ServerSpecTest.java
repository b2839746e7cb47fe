package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSpecTest {

    private static ServerSpec spec(String network, String mask, ServerSpec.Device device) {
        return ServerSpec.builder("office", "vpn.example.com").network(network, mask).device(device)
                .dataCiphers(List.of("aes-256-gcm")).bindAddress(" ").build();
    }

    @Test
    void defaultsAreASubnetUdpTunServer() {
        ServerSpec s = ServerSpec.defaults("office", "vpn.example.com");
        assertEquals("10.8.0.0", s.network());
        assertEquals(24, ServerSpec.prefixLength(s.netmask()));
        assertEquals(1194, s.port());
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), s.dataCiphers());
        assertNull(s.bindAddress());
    }

    @Test
    void normalisesCipherNamesAndBlankBindAddress() {
        ServerSpec s = spec("10.9.0.0", "255.255.255.0", ServerSpec.Device.TUN);
        assertEquals(List.of("AES-256-GCM"), s.dataCiphers());
        assertNull(s.bindAddress());
    }

    @Test
    void refusesHostBitsInTheNetwork() {
        assertThrows(IllegalArgumentException.class, () -> spec("10.8.0.1", "255.255.255.0", ServerSpec.Device.TUN));
    }

    @Test
    void refusesNetmasksOutsideSixteenToTwentyNineForTun() {
        assertThrows(IllegalArgumentException.class, () -> spec("10.0.0.0", "255.0.0.0", ServerSpec.Device.TUN));
        assertThrows(IllegalArgumentException.class, () -> spec("10.8.0.0", "255.255.255.252", ServerSpec.Device.TUN));
        assertEquals(30, ServerSpec.prefixLength(spec("10.8.0.0", "255.255.255.252", ServerSpec.Device.TAP).netmask()));
    }

    @Test
    void refusesUnknownCiphersAndBadNames() {
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.builder("office", "h")
                .dataCiphers(List.of("BF-CBC")).build());
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.defaults("../etc", "h"));
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.defaults("office", "bad host"));
        assertFalse(ServerSpec.isValidName("a..b"));
        assertTrue(ServerSpec.isValidName("office-2.lan"));
    }

    @Test
    void convertsBetweenNetmasksAndPrefixLengths() {
        assertEquals("255.255.255.0", ServerSpec.netmaskOf(24));
        assertEquals("255.255.240.0", ServerSpec.netmaskOf(20));
        assertEquals("0.0.0.0", ServerSpec.netmaskOf(0));
        assertEquals(20, ServerSpec.prefixLength("255.255.240.0"));
        assertEquals(-1, ServerSpec.prefixLength("255.0.255.0"));
        assertEquals(-1, ServerSpec.prefixLength("300.0.0.0"));
    }

    @Test
    void clientNetworkChecksAddressesAndNetworks() {
        ClientNetwork n = new ClientNetwork(" 10.8.0.50 ", List.of("192.168.10.0/24"), List.of("172.16.0.0/12"));
        assertEquals("10.8.0.50", n.staticAddress());
        assertNull(new ClientNetwork("", List.of(), List.of()).staticAddress());
        assertThrows(IllegalArgumentException.class, () -> new ClientNetwork("10.8.0", List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientNetwork(null, List.of("192.168.10.1/24"), List.of()));
        assertFalse(ClientNetwork.isCidr("192.168.10.0"));
        assertFalse(ClientNetwork.isCidr("192.168.10.0/33"));
        assertTrue(ClientNetwork.isCidr("0.0.0.0/0"));
    }

    /** OpenVPN refuses a keepalive timeout under twice the ping (M_USAGE), and Culvert's server manager refuses it first. */
    @Test
    void keepaliveFollowsOpenvpnsRulesAndDnsServersAreAddresses() {
        ServerSpec s = ServerSpec.defaults("a", "h");
        assertEquals(10, s.keepalivePing());
        assertEquals(60, s.keepaliveTimeout());
        assertEquals(List.of(), s.dnsServers());
        assertNull(ServerSpec.keepaliveProblem(5, 10));
        assertTrue(ServerSpec.keepaliveProblem(10, 15).contains("at least twice"));
        assertTrue(ServerSpec.keepaliveProblem(0, 60).contains("above 0"));
        assertTrue(ServerSpec.keepaliveProblem(10, 50_000).contains("43200"));
        assertThrows(IllegalArgumentException.class, () -> s.withClientSettings(10, 15, List.of()));
        IllegalArgumentException dns = assertThrows(IllegalArgumentException.class,
                () -> s.withClientSettings(10, 60, List.of("dns.example.com")));
        assertTrue(dns.getMessage().contains("dns.example.com"));
        assertThrows(IllegalArgumentException.class, () -> s.withClientSettings(10, 60, List.of("1.2.3.256")));
        assertEquals(List.of("1.1.1.1", "2606:4700:4700::1111"),
                s.withClientSettings(10, 60, List.of(" 1.1.1.1", "2606:4700:4700::1111", "1.1.1.1")).dnsServers());
        assertTrue(ServerSpec.isIpAddress("::1"));
        assertFalse(ServerSpec.isIpAddress("1:2:3"));
    }

    /** Issue 13: gateway mode and reached networks refuse what the server could not run, with the reason. */
    @Test
    void gatewayAndReachedNetworksAreChecked() {
        ServerSpec base = ServerSpec.defaults("office", "vpn.example.com");
        IllegalArgumentException v6 = assertThrows(IllegalArgumentException.class, () -> base.withForwarding(
                new ServerSpec.Gateway(null, ServerSpec.Family.BOTH, List.of()), List.of()));
        assertTrue(v6.getMessage().contains("server-ipv6"), v6.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ServerSpec.Gateway("eth0\" accept", ServerSpec.Family.IPV4,
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ServerSpec.Gateway(null, ServerSpec.Family.IPV4,
                List.of("dns.example.com")));
        assertThrows(IllegalArgumentException.class, () -> new ServerSpec.Reach("192.168.50.1/24", null, true));
        assertThrows(IllegalArgumentException.class, () -> new ServerSpec.Reach("0.0.0.0/0", null, true));
        assertEquals(List.of("auto", "ipv4"),
                new ServerSpec.Gateway(" auto ", ServerSpec.Family.IPV4, null).args());
        assertEquals(List.of("10.1.0.0/16", "lan0", "routed"),
                new ServerSpec.Reach("10.1.0.0/16", "lan0", false).args());
    }

    /** Issue 13: a pair rule with itself, an unknown group, and a policy without client-to-client are refused in words. */
    @Test
    void refusesBadPairRules() {
        IllegalArgumentException itself = assertThrows(IllegalArgumentException.class, () -> new ServerSpec.Pair("alice", "alice"));
        assertEquals("'alice' with itself: a rule is about two different clients or groups", itself.getMessage());
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> new ServerSpec.Pairs(false, List.of(), List.of(new ServerSpec.Pair("@staff", "bob"))));
        assertEquals("unknown group '@staff' in the rule @staff \u2194 bob", group.getMessage());
        ServerSpec.Pairs deny = new ServerSpec.Pairs(false, List.of(), List.of(new ServerSpec.Pair("alice", "bob")));
        IllegalArgumentException noC2c = assertThrows(IllegalArgumentException.class,
                () -> ServerSpec.defaults("office", "h").withPairs(deny));
        assertTrue(noC2c.getMessage().startsWith("the client-to-client policy needs client-to-client"), noC2c.getMessage());
        assertTrue(ServerSpec.Pairs.NONE.isEmpty());
        assertFalse(ServerSpec.defaults("office", "h").withPairs(new ServerSpec.Pairs(false,
                List.of(new ServerSpec.Group("staff", List.of("carol"))), List.of())).pairs().restricts(), "groups alone");
    }

    /** Issue 13: IPv6 gateway mode needs the clients' IPv6 network, which must be an IPv6 network /64 to /124. */
    @Test
    void ipv6GatewayNeedsAnIpv6Network() {
        ServerSpec.Gateway both = new ServerSpec.Gateway("eth0", ServerSpec.Family.BOTH, List.of());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> ServerSpec.defaults("office", "h").withIpv6(null, both));
        assertTrue(none.getMessage().startsWith("gateway mode for IPv6 needs an IPv6 network"), none.getMessage());
        ServerSpec v6 = ServerSpec.defaults("office", "h").withIpv6("fd00:8::/64", both);
        assertEquals("fd00:8::/64", v6.ipv6Network());
        assertEquals("fd00:8::/64", v6.withPort(1195).ipv6Network(), "kept by the other edits");
        assertNull(ServerSpec.ipv6NetworkProblem("fd00:8::/112"));
        assertEquals("fd00:8::1 has host bits set for /64", ServerSpec.ipv6NetworkProblem("fd00:8::1/64"));
        assertEquals("the IPv6 network must be /64 to /124, got /48", ServerSpec.ipv6NetworkProblem("fd00:8::/48"));
        assertEquals("'10.0.0.0/8' is not an IPv6 network like fd00:8::/64", ServerSpec.ipv6NetworkProblem("10.0.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.defaults("office", "h").withIpv6("fd00:8::/48", null));
    }
}
