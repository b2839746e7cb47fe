package io.culvert.engine.serveradmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTextTest {

    @Test
    void rendersAManagedServerConfig() {
        ServerSpec s = ServerSpec.builder("office", "vpn.example.com").network("10.9.0.0", "255.255.0.0").port(1195)
                .proto(ServerSpec.Proto.TCP).topology(ServerSpec.Topology.NET30).clientToClient(true)
                .dataCiphers(List.of("CHACHA20-POLY1305", "AES-256-GCM")).bindAddress("127.0.0.1").build();
        String text = ServerConfigText.render(s);
        List<String> lines = text.lines().toList();
        for (String expected : List.of("port 1195", "proto tcp", "local 127.0.0.1", "dev tun", "topology net30",
                "server 10.9.0.0 255.255.0.0", "client-to-client", "data-ciphers CHACHA20-POLY1305:AES-256-GCM", "ca pki/ca.crt",
                "cert pki/issued/server.crt", "key pki/private/server.key", "dh none", "crl-verify pki/crl.pem",
                "tls-crypt pki/tc.key", "client-config-dir ccd", "remote-cert-tls client")) {
            assertTrue(lines.contains(expected), expected + " in\n" + text);
        }
    }

    @Test
    void tapServersHaveNoTopologyLine() {
        ServerSpec s = ServerSpec.builder("lan", "h").network("10.10.0.0", "255.255.255.0")
                .device(ServerSpec.Device.TAP).build();
        String text = ServerConfigText.render(s);
        assertFalse(text.contains("topology"));
        assertFalse(text.contains("local "));
        assertTrue(text.contains("dev tap\n"));
    }

    /** Issue 12: clients of a stopped UDP server learn it at once; OpenVPN refuses the directive on TCP. */
    @Test
    void udpServersTellTheirClientsWhenTheyStop() {
        ServerSpec udp = ServerSpec.defaults("a", "vpn.example.com");
        assertEquals(ServerSpec.Proto.UDP, udp.proto());
        assertTrue(ServerConfigText.render(udp).lines().toList().contains("explicit-exit-notify 1"));
        ServerSpec tcp = ServerSpec.builder("b", "h").network("10.9.0.0", "255.255.255.0").port(443)
                .proto(ServerSpec.Proto.TCP).build();
        assertFalse(ServerConfigText.render(tcp).contains("explicit-exit-notify"));
    }

    /**
     * Issue 12: a UDP server listening on every address answers each client from the address it dialled
     * ({@code multihome}); the line is read by the engine's own config reader, and left out for TCP and for a server
     * bound to one address.
     */
    @Test
    void udpServersOnEveryAddressAreMultihomed(@TempDir Path dir) throws Exception {
        ServerSpec all = ServerSpec.defaults("a", "vpn.example.com");
        assertEquals(null, all.bindAddress());
        String text = ServerConfigText.render(all);
        assertTrue(text.lines().toList().contains("multihome"), text);
        for (String pem : List.of("ca.crt", "server.crt", "server.key", "tc.key")) {
            Path to = dir.resolve(pem.equals("ca.crt") ? "pki/ca.crt" : pem.equals("tc.key") ? "pki/tc.key"
                    : pem.equals("server.crt") ? "pki/issued/server.crt" : "pki/private/server.key");
            Files.createDirectories(to.getParent());
            Files.copy(Path.of("src/test/resources/ovpn/server", pem), to);
        }
        // the CRL is written with the PKI; the listen options are read without it
        ServerConfig read = ServerConfig.from(OvpnFile.parse(text.replace("crl-verify pki/crl.pem\n", "")), dir, false);
        assertTrue(read.listen().multihome(), "the engine reads the wizard's multihome");
        assertFalse(read.listen().sameInterface());
        assertEquals(all, ServerConfigText.parse("a", text, "vpn.example.com"));

        ServerSpec wildcard = ServerSpec.builder("w", "h").network("10.9.0.0", "255.255.255.0").bindAddress("0.0.0.0")
                .build();
        assertTrue(ServerConfigText.render(wildcard).lines().toList().contains("multihome"));
        ServerSpec one = ServerSpec.builder("o", "h").network("10.9.0.0", "255.255.255.0").bindAddress("192.0.2.1")
                .build();
        assertFalse(ServerConfigText.render(one).contains("multihome"), "one address: nothing to choose between");
        ServerSpec tcp = ServerSpec.builder("t", "h").network("10.9.0.0", "255.255.255.0").port(443)
                .proto(ServerSpec.Proto.TCP).build();
        assertFalse(ServerConfigText.render(tcp).contains("multihome"), "OpenVPN's multihome is for UDP");
    }

    /**
     * Issue 14: the wizard's WebSocket endpoint is written behind 'setenv opt', read back into the spec, and read by the
     * engine's own config reader as the loopback listener trusting the proxy on the same host.
     */
    @Test
    void aWebSocketEndpointIsWrittenAndReadByTheEngine(@TempDir Path dir) throws Exception {
        ServerSpec s = ServerSpec.defaults("w", "vpn.example.com").withWebSocket(new ServerSpec.WebSocket(9000, "/tunnel"));
        String text = ServerConfigText.render(s);
        assertTrue(text.contains("\nsetenv opt culvert-websocket 127.0.0.1:9000 /tunnel\n"
                + "setenv opt culvert-websocket-trusted-proxy 127.0.0.1\n"), text);
        assertEquals(s, ServerConfigText.parse("w", text, "vpn.example.com"));
        for (String pem : List.of("ca.crt", "server.crt", "server.key", "tc.key")) {
            Path to = dir.resolve(pem.equals("ca.crt") ? "pki/ca.crt" : pem.equals("tc.key") ? "pki/tc.key"
                    : pem.equals("server.crt") ? "pki/issued/server.crt" : "pki/private/server.key");
            Files.createDirectories(to.getParent());
            Files.copy(Path.of("src/test/resources/ovpn/server", pem), to);
        }
        ServerConfig read = ServerConfig.from(OvpnFile.parse(text.replace("crl-verify pki/crl.pem\n", "")), dir, false);
        var ws = read.listen().webSocket();
        assertEquals(List.of("127.0.0.1", "9000", "/tunnel", "[127.0.0.1]"),
                List.of(ws.host(), Integer.toString(ws.port()), ws.path(), ws.trustedProxies().toString()));
        assertTrue(ServerConfigText.render(ServerSpec.defaults("n", "h")).indexOf("culvert-websocket") < 0);
    }

    @Test
    void specRoundTripsThroughTheConfigText() throws Exception {
        for (ServerSpec s : List.of(ServerSpec.defaults("a", "vpn.example.com"),
                ServerSpec.builder("b", "203.0.113.7").network("172.20.0.0", "255.255.252.0").port(443)
                        .proto(ServerSpec.Proto.TCP).device(ServerSpec.Device.TAP).clientToClient(true)
                        .dataCiphers(List.of("AES-128-GCM")).bindAddress("0.0.0.0").build(),
                ServerSpec.builder("c", "h").network("10.9.0.0", "255.255.255.0").topology(ServerSpec.Topology.NET30)
                        .dataCiphers(List.of("AES-256-CBC")).build())) {
            assertEquals(s, ServerConfigText.parse(s.name(), ServerConfigText.render(s), s.publicHost()));
        }
    }

    /** Issue 12: the edit dialog's keepalive and DNS servers are the config's keepalive and pushed dhcp-option lines. */
    @Test
    void keepaliveAndDnsServersAreWrittenAndReadBack() throws Exception {
        ServerSpec s = ServerSpec.defaults("a", "h").withClientSettings(5, 40, List.of("10.8.0.53", "2001:db8::53"));
        String text = ServerConfigText.render(s);
        assertTrue(text.contains("keepalive 5 40\npush \"dhcp-option DNS 10.8.0.53\"\npush \"dhcp-option DNS6 2001:db8::53\"\n"), text);
        assertEquals(s, ServerConfigText.parse("a", text, "h"));
        assertTrue(ServerConfigText.render(ServerSpec.defaults("a", "h")).contains("keepalive 10 60\n"));
        assertFalse(ServerConfigText.render(ServerSpec.defaults("a", "h")).contains("push "));
    }

    /**
     * Issue 13: the gateway and the networks clients reach are written as 'setenv opt' lines (stock openvpn runs the
     * file) and read back, so an edit of another setting keeps them; a hand-written bare line is kept too.
     */
    @Test
    void gatewayAndNatRoutesAreWrittenAndReadBack() throws Exception {
        ServerSpec s = ServerSpec.defaults("a", "h").withForwarding(
                new ServerSpec.Gateway("eth0", ServerSpec.Family.IPV4, List.of("9.9.9.9")),
                List.of(new ServerSpec.Reach("192.168.50.0/24", null, true),
                        new ServerSpec.Reach("172.16.0.0/12", "lan0", false)));
        String text = ServerConfigText.render(s);
        assertTrue(text.contains("setenv opt culvert-gateway eth0 ipv4 9.9.9.9\n"
                + "setenv opt culvert-nat-route 192.168.50.0/24 auto nat\n"
                + "setenv opt culvert-nat-route 172.16.0.0/12 lan0 routed\n"), text);
        assertEquals(s, ServerConfigText.parse("a", text, "h"));
        ServerSpec edited = ServerConfigText.parse("a", text, "h").withPort(1195);
        assertTrue(ServerConfigText.render(edited).contains("setenv opt culvert-gateway eth0 ipv4 9.9.9.9\n"));

        String hand = ServerConfigText.render(ServerSpec.defaults("a", "h"))
                + "culvert-gateway auto\nculvert-nat-route 10.20.0.0/16\n";
        ServerSpec read = ServerConfigText.parse("a", hand, "h");
        assertEquals(ServerSpec.Gateway.AUTO, read.gateway());
        assertEquals(List.of(new ServerSpec.Reach("10.20.0.0/16", null, true)), read.reach());
        String rewritten = ServerConfigText.render(read.withPort(1196));
        assertTrue(rewritten.contains("setenv opt culvert-gateway auto ipv4\n"), rewritten);
        assertTrue(rewritten.contains("setenv opt culvert-nat-route 10.20.0.0/16 auto nat\n"), rewritten);
    }

    /**
     * Issue 13: the pair policy is written as 'setenv opt culvert-c2c-*' lines after client-to-client and read back,
     * so an edit of another setting keeps it; both modes.
     */
    @Test
    void pairPolicyIsWrittenAndReadBack() throws Exception {
        ServerSpec c2c = ServerSpec.builder("a", "h").clientToClient(true).build();
        ServerSpec deny = c2c.withPairs(new ServerSpec.Pairs(false, List.of(new ServerSpec.Group("staff", List.of("carol", "dave"))),
                List.of(new ServerSpec.Pair("alice", "bob"), new ServerSpec.Pair("@staff", "bob"))));
        String text = ServerConfigText.render(deny);
        assertTrue(text.contains("client-to-client\nsetenv opt culvert-c2c-group staff carol dave\n"
                + "setenv opt culvert-c2c-deny alice bob\nsetenv opt culvert-c2c-deny @staff bob\n"), text);
        assertEquals(deny, ServerConfigText.parse("a", text, "h"));
        assertEquals(deny.pairs(), ServerConfigText.parse("a", ServerConfigText.render(
                ServerConfigText.parse("a", text, "h").withPort(1195)), "h").pairs());

        ServerSpec only = c2c.withPairs(new ServerSpec.Pairs(true, List.of(), List.of(new ServerSpec.Pair("alice", "bob"))));
        String onlyText = ServerConfigText.render(only);
        assertTrue(onlyText.contains("setenv opt culvert-c2c-allow-only\nsetenv opt culvert-c2c-allow alice bob\n"), onlyText);
        assertEquals(only, ServerConfigText.parse("a", onlyText, "h"));
        assertFalse(ServerConfigText.render(c2c).contains("culvert-c2c"), "no policy, no lines");
    }

    /** Issue 13: the clients' IPv6 network is written as server-ipv6 and read back with an IPv6 gateway. */
    @Test
    void ipv6NetworkAndGatewayAreWrittenAndReadBack() throws Exception {
        ServerSpec v6 = ServerSpec.defaults("a", "h").withIpv6("fd00:8::/64",
                new ServerSpec.Gateway("eth0", ServerSpec.Family.BOTH, List.of()));
        String text = ServerConfigText.render(v6);
        assertTrue(text.contains("server 10.8.0.0 255.255.255.0\nserver-ipv6 fd00:8::/64\n"), text);
        assertTrue(text.contains("setenv opt culvert-gateway eth0 both\n"), text);
        assertEquals(v6, ServerConfigText.parse("a", text, "h"));
        assertFalse(ServerConfigText.render(ServerSpec.defaults("a", "h")).contains("server-ipv6"));
    }
}
