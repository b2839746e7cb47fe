package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ServerConfig.Addressing;
import io.culvert.engine.config.ServerConfig.Ipv4Pool;
import io.culvert.engine.config.ServerConfig.Ipv6Pool;
import io.culvert.engine.config.ServerConfig.PoolPersist;
import io.culvert.engine.config.ServerConfig.Topology;
import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected expansions were taken from the option dump of the openvpn 2.6.14 binary (verb 4). */
class ServerConfigTest {
    private static final String HEADER = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n";

    static Path dir() throws Exception {
        return Path.of(ServerConfigTest.class.getResource("/ovpn/server/server.conf").toURI()).getParent();
    }

    static ServerConfig text(String text) throws Exception {
        return ServerConfig.from(OvpnFile.parse(text), dir(), false);
    }

    /**
     * OpenVPN 2.7 {@code options.c}: a server's route line takes the route-table read before it, and the
     * {@code server} helper's route (net30) the last one, as helper.c adds it after the whole file; no warning.
     */
    @Test
    void serverRoutesTakeTheRouteTableBeforeThemAndTheHelperRouteTheLast() throws Exception {
        ServerConfig c = text(HEADER + "topology net30\nroute 10.91.0.0 255.255.255.0\nroute-table 100\n"
                + "server 10.8.0.0 255.255.255.0\nroute 10.92.0.0 255.255.255.0\nroute-ipv6 fd93::/64\nroute-table 200\n"
                + "route 10.94.0.0 255.255.255.0\n");
        assertEquals(List.of(new Route("10.91.0.0", "255.255.255.0", null, null, 0),
                new Route("10.92.0.0", "255.255.255.0", null, null, 100),
                new Route("10.94.0.0", "255.255.255.0", null, null, 200),
                new Route("10.8.0.0", "255.255.255.0", null, null, 200)), c.routing().routes());
        assertEquals(List.of(new Route("fd93::/64", null, null, null, 100)), c.routing().ipv6Routes());
        assertFalse(c.warnings().stream().anyMatch(w -> w.contains("route-table")), c.warnings()::toString);
    }

    /** {@code bind-dev} in a server config binds every listening socket (socket.c), without a warning. */
    @Test
    void bindDevReachesEveryListeningSocket() throws Exception {
        ServerConfig c = text(HEADER + "server 10.8.0.0 255.255.255.0\nlocal * 1194 udp\nlocal * 443 tcp\nbind-dev vrf-blue\n");
        assertEquals("vrf-blue", c.listen().bindDev());
        assertEquals(2, c.listen().sockets().size());
        assertFalse(c.warnings().stream().anyMatch(w -> w.contains("bind-dev")), c.warnings()::toString);
        assertEquals(null, text(HEADER + "server 10.8.0.0 255.255.255.0\n").listen().bindDev());
    }

    @Test
    void aServerWithoutDevRunsOnTunAsOpenvpn27Does() throws Exception {
        ServerConfig c = text(HEADER.replace("dev tun\n", "") + "server 10.8.0.0 255.255.255.0\n");
        assertEquals("tun", c.device().name());
        assertFalse(c.device().isTap());
    }

    @Test
    void defaultInAServersDataCiphersExpandsAsOpenvpn27Does() throws Exception {
        // 2.7's DEFAULT stands for its built-in list, in place, in a server's data-ciphers too (negotiated from it).
        ServerConfig c = text(HEADER + "server 10.8.0.0 255.255.255.0\ndata-ciphers CHACHA20-POLY1305:DEFAULT\n");
        assertEquals(List.of("CHACHA20-POLY1305", "AES-256-GCM", "AES-128-GCM"), c.dataChannel().dataCiphers());
    }

    @Test
    void captureServerConfigsExpandToSubnet() throws Exception {
        Path captures = Path.of("/work/shared/protocol/captures");
        Assumptions.assumeTrue(Files.isDirectory(captures));
        int seen = 0;
        try (var dirs = Files.list(captures)) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("server.conf"))).sorted().toList()) {
                String text = Files.readString(d.resolve("server.conf"));
                ServerConfig c = ServerConfig.from(OvpnFile.parse(text), captures.resolve("pki"), false);
                assertEquals(d.getFileName().toString().startsWith("tcp") ? Proto.TCP : Proto.UDP, c.listen().proto());
                assertEquals("10.99.0.1", c.listen().local());
                assertEquals(1194, c.listen().port());
                assertEquals(Topology.SUBNET, c.addresses().topology());
                assertEquals("10.98.0.1", c.addresses().ifconfigLocal());
                assertEquals("255.255.255.0", c.addresses().ifconfigRemoteNetmask());
                assertEquals(new Ipv4Pool("10.98.0.2", "10.98.0.254", "255.255.255.0"), c.addresses().ipv4Pool());
                assertEquals(List.of("route-gateway 10.98.0.1", "topology subnet", "ping 10", "ping-restart 60"),
                        c.routing().pushes());
                assertEquals(10, c.keepalive().ping());
                assertEquals(120, c.keepalive().pingRestart());
                assertEquals(List.of(), c.routing().routes());
                assertEquals(text.contains("\ntls-crypt "), c.wrap().tlsCryptKey() != null);
                assertEquals(text.contains("\ntls-auth "), c.wrap().tlsAuthKey() != null);
                seen++;
            }
        }
        assertEquals(5, seen);
    }

    @Test
    void typicalNet30Server() throws Exception {
        ServerConfig c = ServerConfig.load(dir().resolve("net30.conf"), false);
        assertEquals(Addressing.SERVER, c.addresses().addressing());
        assertEquals(Topology.NET30, c.addresses().topology());
        assertEquals(DevType.TUN, c.device().type());
        assertEquals("10.8.0.1", c.addresses().ifconfigLocal());
        assertEquals("10.8.0.2", c.addresses().ifconfigRemoteNetmask());
        assertEquals(new Ipv4Pool("10.8.0.4", "10.8.0.251", null), c.addresses().ipv4Pool());
        assertNull(c.addresses().ipv6Pool());
        assertEquals(List.of("redirect-gateway def1", "dhcp-option DNS 10.8.0.1", "route 10.8.0.1", "topology net30",
                "ping 10", "ping-restart 120"), c.routing().pushes());
        assertEquals(List.of(new Route("192.168.50.0", "255.255.255.0", null, null),
                new Route("10.8.0.0", "255.255.255.0", null, null)), c.routing().routes());
        assertEquals(new PoolPersist(dir().resolve("ipp.txt").toString(), 0), c.addresses().poolPersist());
        assertEquals(0, c.wrap().keyDirection());
        assertTrue(c.wrap().tlsAuthKey().contains("BEGIN OpenVPN Static key V1"));
        assertTrue(c.keys().caPem().contains("BEGIN CERTIFICATE"));
        assertEquals("AES-256-CBC", c.dataChannel().cipher());
        assertEquals(DataOptions.DEFAULT_DATA_CIPHERS, c.dataChannel().dataCiphers());
        assertEquals("SHA1", c.dataChannel().auth());
        assertEquals(1500, c.device().tunMtu());
        assertEquals(1024, c.clients().maxClients());
        assertEquals(VerifyClientCert.REQUIRE, c.checks().verifyClientCert());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("net30")), c.warnings().toString());
        assertFalse(c.toString().contains("BEGIN"));
    }

    @Test
    void subnetServerWithIpv6AndCcd() throws Exception {
        ServerConfig c = ServerConfig.load(dir().resolve("server.conf"), false);
        assertEquals(Topology.SUBNET, c.addresses().topology());
        assertEquals(new Ipv4Pool("10.8.0.2", "10.8.0.254", "255.255.255.0"), c.addresses().ipv4Pool());
        assertEquals("fd00:8::1", c.addresses().ifconfigIpv6Local());
        assertEquals(64, c.addresses().ifconfigIpv6Bits());
        assertEquals("fd00:8::2", c.addresses().ifconfigIpv6Remote());
        assertEquals(new Ipv6Pool("fd00:8::1000", 64), c.addresses().ipv6Pool());
        assertEquals(List.of("redirect-gateway def1 bypass-dhcp", "dhcp-option DNS 10.8.0.1",
                "route 192.168.10.0 255.255.255.0", "tun-ipv6", "route-gateway 10.8.0.1", "topology subnet",
                "ping 10", "ping-restart 120"), c.routing().pushes());
        assertEquals(dir().resolve("ccd").toString(), c.clients().clientConfigDir());
        assertEquals(600, c.addresses().poolPersist().seconds());
        assertTrue(c.clients().clientToClient());
        assertTrue(c.clients().duplicateCn());
        assertEquals(100, c.clients().maxClients());
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM"), c.dataChannel().dataCiphers());
        assertEquals(VerifyClientCert.OPTIONAL, c.checks().verifyClientCert());
        assertTrue(c.checks().usernameAsCommonName());
        assertEquals(List.of("/etc/openvpn/check.sh", "via-file"), c.checks().authUserPassVerify());
        assertEquals(2, c.scripts().scriptSecurity());
        assertEquals("127.0.0.1 7505", c.monitoring().management());
        assertEquals("/var/log/openvpn/status.log", c.monitoring().statusFile());
        assertEquals(1, c.keepalive().explicitExitNotify());
        assertEquals(3, c.monitoring().verb());
        assertEquals(List.of(), c.routing().routes());
    }

    @Test
    void tapServerBridgeWithPool() throws Exception {
        ServerConfig c = ServerConfig.load(dir().resolve("bridge.conf"), false);
        assertEquals(Proto.TCP, c.listen().proto());
        assertEquals(IpFamily.ANY, c.listen().family());
        assertEquals(1195, c.listen().port());
        assertEquals(DevType.TAP, c.device().type());
        assertEquals("tap0", c.device().name());
        assertEquals(Addressing.SERVER_BRIDGE, c.addresses().addressing());
        assertNull(c.addresses().ifconfigLocal());
        assertEquals(new Ipv4Pool("192.168.1.128", "192.168.1.191", "255.255.255.0"), c.addresses().ipv4Pool());
        assertEquals(List.of("route 10.20.0.0 255.255.0.0", "route-gateway 192.168.1.4", "ping 5", "ping-restart 30"),
                c.routing().pushes());
        assertTrue(c.ifconfigCarriesNetmask());
        assertEquals(64, c.clients().maxClients());
    }

    @Test
    void serverBridgeWithoutPoolIsDhcpMode() throws Exception {
        ServerConfig plain = text(HEADER + "dev-type tap\nserver-bridge\n");
        assertEquals(Addressing.SERVER_BRIDGE_DHCP, plain.addresses().addressing());
        assertNull(plain.addresses().ipv4Pool());
        assertEquals(List.of("route-gateway dhcp"), plain.routing().pushes());
        ServerConfig nogw = text(HEADER + "dev-type tap\nserver-bridge nogw\n");
        assertEquals(Addressing.SERVER_BRIDGE_DHCP, nogw.addresses().addressing());
        assertEquals(List.of(), nogw.routing().pushes());
    }

    @Test
    void expandsTopologiesLikeOpenvpn() throws Exception {
        String net = "server 10.8.0.0 255.255.255.0\n";
        assertEquals(List.of("route 10.8.0.0 255.255.255.0", "topology net30"),
                text(HEADER + net + "client-to-client\n").routing().pushes());
        assertEquals(List.of("topology p2p"), text(HEADER + "topology p2p\n" + net).routing().pushes());
        assertEquals(List.of("route 10.8.0.0 255.255.255.0", "topology p2p"),
                text(HEADER + "topology p2p\n" + net + "client-to-client\n").routing().pushes());
        ServerConfig tap = text(HEADER + "dev-type tap\n" + net + "client-to-client\n");
        assertEquals(List.of("route-gateway 10.8.0.1"), tap.routing().pushes());
        assertEquals(new Ipv4Pool("10.8.0.2", "10.8.0.254", "255.255.255.0"), tap.addresses().ipv4Pool());
        assertEquals("255.255.255.0", tap.addresses().ifconfigRemoteNetmask());
        assertEquals(List.of(), tap.routing().routes());
    }

    @Test
    void poolEdgesFollowTheNetmask() throws Exception {
        assertEquals(new Ipv4Pool("10.8.0.4", "10.8.0.7", null),
                text(HEADER + "server 10.8.0.0 255.255.255.248\n").addresses().ipv4Pool());
        assertEquals(new Ipv4Pool("10.8.0.4", "10.8.0.11", null),
                text(HEADER + "server 10.8.0.0 255.255.255.240\n").addresses().ipv4Pool());
        ServerConfig small6 = text(HEADER + "topology subnet\nserver 10.8.0.0 255.255.255.0\nserver-ipv6 fd00::/112\n");
        assertEquals(new Ipv6Pool("fd00::2", 112), small6.addresses().ipv6Pool());
        ServerConfig nopool = text(HEADER + "server 10.8.0.0 255.255.255.0 nopool\n");
        assertNull(nopool.addresses().ipv4Pool());
        assertEquals(List.of("route 10.8.0.1", "topology net30"), nopool.routing().pushes());
    }

    @Test
    void explicitModeServerUsesIfconfigForThePoolMask() throws Exception {
        ServerConfig c = text(HEADER + "mode server\ntls-server\ntopology subnet\nifconfig 10.9.0.1 255.255.255.0\n"
                + "ifconfig-pool 10.9.0.100 10.9.0.200\nifconfig-ipv6 fd00:9::1/64 fd00:9::2\n"
                + "ifconfig-ipv6-pool fd00:9::100/64\nproto udp6\nport 1200\n");
        assertEquals(Addressing.EXPLICIT, c.addresses().addressing());
        assertEquals(new Ipv4Pool("10.9.0.100", "10.9.0.200", "255.255.255.0"), c.addresses().ipv4Pool());
        assertEquals(new Ipv6Pool("fd00:9::100", 64), c.addresses().ipv6Pool());
        assertEquals("fd00:9::1", c.addresses().ifconfigIpv6Local());
        assertEquals(IpFamily.IPV6, c.listen().family());
        assertEquals(1200, c.listen().port());
        assertEquals(List.of(), c.routing().pushes());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("keepalive")));
    }

    @Test
    void pushResetAndRemoveWorkOnEarlierPushes() throws Exception {
        ServerConfig c = text(HEADER + "push \"route 1.2.3.0 255.255.255.0\"\npush \"dhcp-option DNS 1.1.1.1\"\n"
                + "push-remove route\npush \"block-ipv6\"\nserver 10.8.0.0 255.255.255.0 nopool\n");
        assertEquals(List.of("dhcp-option DNS 1.1.1.1", "block-ipv6", "route 10.8.0.1", "topology net30"), c.routing().pushes());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "server 10.8.0.0 255.255.255.0\\nserver-bridge                      | CONFLICT              | 7 | server-bridge",
        "server 10.8.0.0 255.255.255.0\\ntls-auth ta.key 0\\ntls-crypt tc.key | CONFLICT           | 8 | tls-crypt",
        "server 10.8.0.1 255.255.255.0                                       | INVALID_VALUE         | 6 | server",
        "server 10.0.0.0 255.0.0.0                                           | INVALID_VALUE         | 6 | server",
        "server 10.8.0.0 255.255.255.252                                     | INVALID_VALUE         | 6 | server",
        "server 10.8.0.0 255.255.255.0 pool                                  | INVALID_VALUE         | 6 | server",
        "server 10.8.0.0 255.255.255.0\\nifconfig-pool 10.8.0.10 10.8.0.20   | CONFLICT              | 7 | ifconfig-pool",
        "server 10.8.0.0 255.255.255.0\\nkeepalive 10 60\\nping 5            | CONFLICT              | 8 | ping",
        "server 10.8.0.0 255.255.255.0\\nkeepalive 10 15                     | INVALID_VALUE         | 7 | keepalive",
        "server 10.8.0.0 255.255.255.0\\nserver-ipv6 fd00::/125              | INVALID_VALUE         | 7 | server-ipv6",
        "server 10.8.0.0 255.255.255.0 nopool\\nserver-ipv6 fd00::/64        | CONFLICT              | 7 | server-ipv6",
        "server 10.8.0.0 255.255.255.0\\nproto tcp-client                    | INVALID_VALUE         | 7 | proto",
        "server 10.8.0.0 255.255.255.0\\nremote vpn.example.com              | CONFLICT              | 7 | remote",
        "server 10.8.0.0 255.255.255.0\\nccd-exclusive                       | MISSING_REQUIRED      | 7 | ccd-exclusive",
        "server 10.8.0.0 255.255.255.0\\nverify-client-cert optional         | MISSING_REQUIRED      | 7 | verify-client-cert",
        "server 10.8.0.0 255.255.255.0\\nverify-client-cert none\\nplugin /usr/lib/openvpn/pam.so login | UNSUPPORTED_DIRECTIVE | 8 | plugin",
        "server 10.8.0.0 255.255.255.0\\nauth-user-pass-verify check.sh via-file | CONFLICT           | 7 | auth-user-pass-verify",
        "server 10.8.0.0 255.255.255.0\\nscript-security 2\\nauth-user-pass-verify check.sh via-env | CONFLICT | 8 | auth-user-pass-verify",
        "server 10.8.0.0 255.255.255.0\\nauth-user-pass-verify check.sh via-pipe | INVALID_VALUE     | 7 | auth-user-pass-verify",
        "server 10.8.0.0 255.255.255.0\\nmanagement-client-auth              | UNSUPPORTED_DIRECTIVE | 7 | management-client-auth",
        "server 10.8.0.0 255.255.255.0\\ntls-verify \"/bin/check tls\"       | UNSUPPORTED_DIRECTIVE | 7 | tls-verify",
        "server 10.8.0.0 255.255.255.0\\nclient-connect /bin/allow.sh        | CONFLICT              | 7 | client-connect",
        "server 10.8.0.0 255.255.255.0\\npush \"route 10.0.0.0 255.0.0.0,x\" | INVALID_VALUE         | 7 | push",
        "server 10.8.0.0 255.255.255.0\\nsecret ta.key                       | UNSUPPORTED_DIRECTIVE | 7 | secret",
        "server 10.8.0.0 255.255.255.0\\nmode p2p                            | UNSUPPORTED_DIRECTIVE | 7 | mode",
        "server 10.8.0.0 255.255.255.0\\ntopology star                       | INVALID_VALUE         | 7 | topology",
        "server 10.8.0.0 255.255.255.0\\nmax-clients 0                       | INVALID_VALUE         | 7 | max-clients",
        "server 10.8.0.0 255.255.255.0\\nremote-cert-tls server              | INVALID_VALUE         | 7 | remote-cert-tls",
        "server 10.8.0.0 255.255.255.0\\nserver-bridge nope                  | CONFLICT              | 7 | server-bridge",
        "mode server\\nifconfig 10.8.0.1 255.255.255.0                       | MISSING_REQUIRED      | 6 | tls-server",
        "server-bridge 10.8.0.4 255.255.255.0 10.8.0.128 10.8.0.254          | CONFLICT              | 6 | server-bridge",
        "dev-type tap\\nserver-bridge 10.8.0.4 255.255.255.0 10.9.0.128 10.8.0.254 | INVALID_VALUE   | 7 | server-bridge",
        "dev-type tap\\nserver-bridge 10.8.0.4 255.255.255.0 10.8.0.200 10.8.0.128 | INVALID_VALUE   | 7 | server-bridge",
        "dev-type tap\\nserver-bridge 10.8.0.4 255.255.255.0 10.8.0.128     | WRONG_ARGUMENT_COUNT  | 7 | server-bridge",
        "dev-type tap\\nserver-bridge\\nifconfig-pool-persist ipp.txt        | MISSING_REQUIRED      | 8 | ifconfig-pool-persist",
        "mode server\\ntls-server\\nifconfig-ipv6-pool fd00::1000/64        | MISSING_REQUIRED      | 8 | ifconfig-ipv6-pool",
        "server 10.8.0.0 255.255.255.0\\nca missing.crt                      | FILE_NOT_READABLE     | 7 | ca",
        "ifconfig 10.8.0.1 10.8.0.2                                          | MISSING_REQUIRED      | 0 | server"})
    void reportsErrorsWithLineDirectiveAndReason(String body, Reason reason, int line, String directive) {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> text(HEADER + body.replace("\\n", "\n") + "\n"));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(directive, e.directive(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"dh none, dh", "ca ca.crt, ca", "cert server.crt, cert", "key server.key, key"})
    void missingTlsMaterialIsRequired(String dropped, String directive) {
        String body = (HEADER + "server 10.8.0.0 255.255.255.0\n").replace(dropped + "\n", "");
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(body));
        assertEquals(Reason.MISSING_REQUIRED, e.reason());
        assertEquals(0, e.line());
        assertEquals(directive, e.directive());
    }

    @Test
    void usernamePasswordServerKeepsItsPolicy() throws Exception {
        ServerConfig c = text(HEADER + "server 10.8.0.0 255.255.255.0\nverify-client-cert none\nusername-as-common-name\n"
                + "script-security 2\nauth-user-pass-verify \"check.sh --realm corp\" via-file\nauth-user-pass-optional\n"
                + "tmp-dir /run/culvert\n");
        assertEquals(ServerConfig.VerifyClientCert.NONE, c.checks().verifyClientCert());
        assertTrue(c.checks().usernameAsCommonName());
        assertTrue(c.checks().authUserPassOptional());
        assertEquals(List.of("check.sh --realm corp", "via-file"), c.checks().authUserPassVerify());
        assertEquals("/run/culvert", c.scripts().tmpDir());
        assertFalse(c.warnings().stream().anyMatch(w -> w.contains("auth-user-pass-verify")), c.warnings().toString());
    }

    @Test
    void dhFileIsReadButIgnoredWithAWarning() throws Exception {
        ServerConfig c = text(HEADER.replace("dh none", "<dh>\n-----BEGIN DH PARAMETERS-----\nAA==\n"
                + "-----END DH PARAMETERS-----\n</dh>") + "server 10.8.0.0 255.255.255.0\n");
        assertEquals("[inline]", c.dhFile());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("ECDHE")));
    }
}
