package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.Remote;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ClientConfig.VerifyX509Name;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    static Path valid(String name) throws Exception {
        return Path.of(ClientConfigTest.class.getResource("/ovpn/valid/" + name).toURI());
    }

    static ClientConfig load(String name) throws Exception {
        return ClientConfig.load(valid(name), false);
    }

    static ClientConfig text(String body) throws OvpnParseException {
        return ClientConfig.from(OvpnFile.parse(body), null, false);
    }

    private static final String MINIMAL = "client\ndev tun\nremote r.example\n<ca>\n-----BEGIN CERTIFICATE-----\n"
            + "</ca>\nauth-user-pass\n";

    @Test
    void theKillSwitchIsReadInBothFormsAndABadArgumentNamesItsLine() throws Exception {
        assertEquals(KillSwitch.OFF, text(MINIMAL).routing().killSwitch());
        assertEquals(KillSwitch.ON, text(MINIMAL + "culvert-kill-switch\n").routing().killSwitch());
        assertEquals(KillSwitch.ALLOW_LAN, text(MINIMAL + "setenv opt culvert-kill-switch allow-lan\n").routing().killSwitch());
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(MINIMAL + "culvert-kill-switch lan\n"));
        assertEquals(8, e.line());
        assertEquals("'lan' is not 'allow-lan' (culvert-kill-switch [allow-lan])", e.detail());
    }

    @Test
    void statusInAClientProfileIsReadNotACrash(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ClientConfig c = ClientConfig.from(OvpnFile.parse(MINIMAL + "status openvpn-status.log 20\n"), dir, false);
        assertEquals(dir.resolve("openvpn-status.log").toString(), c.monitoring().statusFile());
        assertEquals(20, c.monitoring().statusSeconds());
        ClientConfig d = text(MINIMAL + "status /run/client.status\n");
        assertEquals("/run/client.status", d.monitoring().statusFile());
        assertEquals(60, d.monitoring().statusSeconds(), "OpenVPN's default period");
        assertNull(text(MINIMAL).monitoring().statusFile());
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(MINIMAL + "status x 0\n"));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals(8, e.line());
        assertEquals("no file name given",
                assertThrows(OvpnParseException.class, () -> text(MINIMAL + "status \"\"\n")).detail());
    }

    @Test
    void everyValidFixtureLoads() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(valid("ca.crt").getParent())) {
            files = s.filter(p -> p.toString().endsWith(".ovpn")).sorted().toList();
        }
        assertTrue(files.size() >= 12, "fixtures: " + files.size());
        for (Path p : files) {
            ClientConfig c = ClientConfig.load(p, false);
            assertFalse(c.transport().remotes().isEmpty(), p.toString());
            assertNotNull(c.keys().caPem(), p.toString());
        }
    }

    @Test
    void readsCaptureClientConf() throws Exception {
        ClientConfig c = load("capture-udp-tls-crypt.ovpn");
        assertEquals(List.of(new Remote("10.99.0.1", 1194, Proto.UDP)), c.transport().remotes());
        assertTrue(c.pull() && c.tlsClient() && c.transport().nobind());
        assertEquals(0, c.transport().lport());
        assertEquals(DevType.TUN, c.device().type());
        assertEquals("tun", c.device().name());
        assertEquals(Files.readString(valid("ca.crt")), c.keys().caPem());
        assertTrue(c.keys().keyPem().contains("PRIVATE KEY"));
        assertEquals(Files.readString(valid("tc.key")), c.wrap().tlsCryptKey());
        assertNull(c.wrap().tlsAuthKey());
        assertEquals("server", c.tls().remoteCertTls());
        assertEquals(new VerifyX509Name("server", "name"), c.tls().verifyX509Name());
        assertEquals(List.of("AES-256-GCM"), c.dataChannel().dataCiphers());
        assertEquals(7, c.monitoring().verb());
        assertEquals(1, c.keepalive().explicitExitNotify());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void fillsOpenVpnDefaults() throws Exception {
        ClientConfig c = text(MINIMAL);
        assertEquals(List.of(new Remote("r.example", 1194, Proto.UDP, IpFamily.ANY)), c.transport().remotes());
        assertEquals(1194, c.transport().lport());
        assertEquals(1, c.transport().connectRetrySeconds());
        assertEquals(300, c.transport().connectRetryMaxSeconds());
        assertEquals(0, c.transport().connectRetryMax());
        assertEquals(-1, c.transport().resolvRetrySeconds());
        assertEquals("SHA1", c.dataChannel().auth());
        assertNull(c.dataChannel().cipher());
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), c.dataChannel().dataCiphers());
        assertEquals(3600, c.tlsTimers().renegSec());
        assertEquals(-1, c.tlsTimers().renegBytes());
        assertEquals(60, c.tlsTimers().handWindow());
        assertEquals(3600, c.tlsTimers().tranWindow());
        assertEquals(2, c.tlsTimers().tlsTimeout());
        assertEquals(64, c.dataChannel().replayWindow());
        assertEquals(15, c.dataChannel().replayWindowSeconds());
        assertEquals(1500, c.device().tunMtu());
        assertNull(c.device().mssfix());
        assertEquals(new Mssfix(1492, Mssfix.Mode.MTU), c.device().effectiveMssfix());
        assertEquals("no", c.dataChannel().allowCompression());
        assertEquals(1, c.monitoring().verb());
        assertEquals(new AuthUserPass(null, null), c.authUserPass());
        assertTrue(c.authUserPass().needsPrompt());
    }

    @Test
    void readsUnifiedInlineProfile() throws Exception {
        ClientConfig c = load("unified-inline.ovpn");
        assertTrue(c.keys().caPem().startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(c.keys().keyPem().contains("BEGIN PRIVATE KEY"));
        assertEquals("AES-256-GCM", c.dataChannel().cipher());
        assertEquals("SHA256", c.dataChannel().auth());
        assertEquals(-1, c.transport().resolvRetrySeconds());
        assertEquals(List.of("persist-key", "persist-tun"), c.ignoredOptionsReported());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void readsTlsAuthWithKeyDirection() throws Exception {
        ClientConfig c = load("tls-auth-key-direction.ovpn");
        assertEquals(Integer.valueOf(1), c.wrap().keyDirection());
        assertTrue(c.wrap().tlsAuthKey().contains("00112233445566778899aabbccddeeff"));
        assertEquals("tun0", c.device().name());
        assertEquals(List.of(new Remote("198.51.100.7", 443, Proto.UDP)), c.transport().remotes());
        assertEquals("1.2", c.tls().versionMin());
        assertEquals(0, c.tlsTimers().renegSec());
    }

    @Test
    void readsTlsCryptInlineAndOptionalCiphers() throws Exception {
        ClientConfig c = load("tls-crypt-inline.ovpn");
        assertTrue(c.wrap().tlsCryptKey().startsWith("-----BEGIN OpenVPN Static key V1-----\n"));
        assertEquals(List.of(new Remote("2001:db8::1", 1195, Proto.UDP, IpFamily.IPV6)), c.transport().remotes());
        assertEquals(List.of("AES-256-GCM", "AES-128-GCM"), c.dataChannel().dataCiphers());
        assertEquals("AES-256-CBC", c.dataChannel().dataCiphersFallback());
    }

    @Test
    void readsAuthUserPassFileWithoutClientCert() throws Exception {
        ClientConfig c = load("auth-user-pass.ovpn");
        assertEquals(new AuthUserPass("alice", "s3cret pass"), c.authUserPass());
        assertFalse(c.authUserPass().toString().contains("s3cret"));
        assertFalse(c.toString().contains("s3cret"));
        assertNull(c.keys().certPem());
        assertEquals(List.of(new Remote("vpn.example.com", 443, Proto.TCP)), c.transport().remotes());
        assertEquals(0, c.transport().lport());
        assertEquals(new VerifyX509Name("vpn.example.com", "name"), c.tls().verifyX509Name());
    }

    @Test
    void readsPromptedCredentialsPortAndPullFilters() throws Exception {
        ClientConfig c = load("auth-user-pass-inline.ovpn");
        assertEquals(new AuthUserPass(null, null), c.authUserPass());
        assertEquals(DevType.TAP, c.device().type());
        assertEquals(List.of(new Remote("vpn.example.com", 1200, Proto.UDP)), c.transport().remotes());
        assertEquals(1200, c.transport().lport());
        assertEquals(List.of(new PullFilter("ignore", "route-gateway"), new PullFilter("accept", "route 10."),
                new PullFilter("reject", "redirect-gateway")), c.routing().pullFilters());
    }

    @Test
    void inlineCredentialsMayOmitPassword() throws Exception {
        ClientConfig c = text("client\ndev tun\nremote r\n<ca>\n-----BEGIN C\n</ca>\n<auth-user-pass>\nbob\n</auth-user-pass>\n");
        assertEquals(new AuthUserPass("bob", null), c.authUserPass());
    }

    @Test
    void eachConnectionBlockIsOneRemoteInheritingEarlierDefaults() throws Exception {
        ClientConfig c = load("connection-blocks.ovpn");
        assertEquals(List.of(new Remote("primary.example.com", 1194, Proto.UDP),
                new Remote("backup.example.com", 8443, Proto.TCP),
                new Remote("last.example.com", 443, Proto.UDP, IpFamily.IPV4)), c.transport().remotes());
        assertTrue(c.transport().remoteRandom());
        assertEquals(2, c.transport().connectRetrySeconds());
        assertEquals(60, c.transport().connectRetryMaxSeconds());
        assertEquals(1, c.keepalive().explicitExitNotify());
    }

    @Test
    void topLevelRemotesAreIgnoredWhenConnectionBlocksExist() throws Exception {
        // openvpn 2.6.14 lists only the <connection> profile in this case
        ClientConfig c = text(MINIMAL + "<connection>\nremote b.example 5001\n</connection>\n");
        assertEquals(List.of(new Remote("b.example", 5001, Proto.UDP)), c.transport().remotes());
        assertEquals(List.of("line 3: 'remote' ignored because <connection> blocks are present"), c.warnings());
    }

    @Test
    void topLevelRemotesTakeFinalPortAndProto() throws Exception {
        ClientConfig c = text(MINIMAL + "remote s.example 444 tcp6\nport 2000\nproto udp4\n");
        assertEquals(List.of(new Remote("r.example", 2000, Proto.UDP, IpFamily.IPV4),
                new Remote("s.example", 444, Proto.TCP, IpFamily.IPV6)), c.transport().remotes());
    }

    /** OpenVPN 2.7 {@code options.c}: a route takes the route-table read before it; the last one is the profile's. */
    @Test
    void eachRouteTakesTheRouteTableReadBeforeItsLine() throws Exception {
        ClientConfig c = text(MINIMAL + "route 10.1.0.0 255.255.0.0\nroute-table 100\nroute 10.2.0.0 255.255.0.0\n"
                + "route-ipv6 fd02::/64\nroute-table 200\nroute 10.3.0.0 255.255.0.0\nroute-table 300\n");
        assertEquals(List.of(new Route("10.1.0.0", "255.255.0.0", null, null, 0),
                new Route("10.2.0.0", "255.255.0.0", null, null, 100), new Route("fd02::/64", null, null, null, 100),
                new Route("10.3.0.0", "255.255.0.0", null, null, 200)), c.routing().routes());
        assertEquals(300, c.routing().routeTable());
    }

    @Test
    void readsRoutesAndRedirectGateway() throws Exception {
        ClientConfig c = load("routes-net-gateway.ovpn");
        assertTrue(c.routing().routeNopull());
        assertEquals(List.of(new Route("10.10.0.0", "255.255.0.0", null, null),
                new Route("192.168.50.0", "255.255.255.0", "net_gateway", null),
                new Route("172.16.0.0", "255.240.0.0", "vpn_gateway", 5),
                new Route("203.0.113.10", "255.255.255.255", "net_gateway", null),
                new Route("2001:db8:100::/48", null, null, null)), c.routing().routes());
        assertEquals(Set.of("def1", "bypass-dhcp"), c.routing().redirectGateway().flags());
        assertFalse(c.routing().redirectGateway().privateOnly());
        assertEquals(List.of(), c.ignoredOptionsReported());
        assertEquals(new RouteExecution(false, 2), c.routing().routeExecution());
    }

    @Test
    void readsDhcpOptionsAndWarnsAboutScripts() throws Exception {
        ClientConfig c = load("dhcp-option.ovpn");
        assertEquals(List.of(new DhcpOption("DNS", "10.8.0.1"), new DhcpOption("DNS", "10.8.0.2"),
                new DhcpOption("DOMAIN", "corp.example.com"), new DhcpOption("DISABLE-NBT", null)), c.routing().dhcpOptions());
        assertEquals(List.of("line 8: 'up' ignored: scripts are not run by Culvert",
                "line 9: 'down' ignored: scripts are not run by Culvert"), c.warnings());
        assertEquals(List.of("up", "down", "script-security"), c.ignoredOptionsReported());
    }

    @Test
    void readsLegacyCompressionAndKeepalive() throws Exception {
        ClientConfig c = load("comp-lzo.ovpn");
        assertEquals("adaptive", c.dataChannel().compLzo());
        assertNull(c.dataChannel().compress());
        assertEquals(10, c.keepalive().ping());
        assertEquals(60, c.keepalive().pingRestart());
        assertEquals(1400, c.device().tunMtu());
        assertEquals(new Mssfix(1360, Mssfix.Mode.PAYLOAD), c.device().mssfix());
        assertEquals("BF-CBC", c.dataChannel().cipher());
        assertEquals("asym", c.dataChannel().allowCompression(),
                "2.6 receives compressed packets when compression is configured");
        assertEquals(List.of(SharedDirectiveReader.COMPRESSION_WARNING), c.warnings());
    }

    @Test
    void anExplicitAllowCompressionNoKeepsOnlyTheFraming() throws Exception {
        String profile = java.nio.file.Files.readString(valid("comp-lzo.ovpn"));
        ClientConfig c = ClientConfig.from(OvpnFile.parse(profile + "allow-compression no\n"), valid("comp-lzo.ovpn").getParent(), false);
        assertEquals("no", c.dataChannel().allowCompression());
        assertEquals(List.of("compression is configured but allow-compression is 'no': only framing is used"), c.warnings());
        ClientConfig plain = ClientConfig.from(OvpnFile.parse(profile.replace("comp-lzo", "# no compression")),
                valid("comp-lzo.ovpn").getParent(), false);
        assertEquals("no", plain.dataChannel().allowCompression(), "without compression in the profile the default stays no");
    }

    @Test
    void ignoresListedAndSetenvOptUnknownsWithWarnings() throws Exception {
        ClientConfig c = load("ignore-unknown-option.ovpn");
        assertEquals(List.of("line 5: ignoring unknown directive 'frobnicate'",
                "line 6: ignoring unknown directive 'future-option'",
                "line 8: ignoring unknown directive 'another-future-thing'"), c.warnings());
        assertEquals(List.of("block-outside-dns", "setenv"), c.ignoredOptionsReported());
    }

    @Test
    void ignoresWindowsOnlyOptions() throws Exception {
        ClientConfig c = load("windows-only.ovpn");
        assertEquals(List.of("dev-node", "block-outside-dns", "register-dns", "ip-win32", "route-method",
                "tap-sleep", "windows-driver"), c.ignoredOptionsReported());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void handlesCommentsAndQuoting() throws Exception {
        ClientConfig c = load("comments-quoting.ovpn");
        assertEquals(List.of(new Remote("vpn.example.com", 1194, Proto.UDP)), c.transport().remotes());
        assertEquals(new VerifyX509Name("CN=My Server, O=Example \"Corp\"", "subject"), c.tls().verifyX509Name());
        assertEquals("127.0.0.1 7505", c.monitoring().management());
        assertEquals(4, c.monitoring().verb());
    }

    @Test
    void handlesCrlfAndBom() throws Exception {
        ClientConfig c = load("crlf-bom.ovpn");
        assertEquals(List.of(new Remote("crlf.example.com", 1194, Proto.UDP)), c.transport().remotes());
        assertTrue(c.keys().caPem().startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertFalse(c.keys().caPem().contains("\r"));
    }

    @Test
    void ignoreUnknownFlagDowngradesUnknownDirectives() throws Exception {
        String body = MINIMAL + "future-thing on\n";
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(body));
        assertEquals(Reason.UNKNOWN_DIRECTIVE, e.reason());
        assertEquals(8, e.line());
        ClientConfig c = ClientConfig.from(OvpnFile.parse(body), null, true);
        assertEquals(List.of("line 8: ignoring unknown directive 'future-thing'"), c.warnings());
    }

    @Test
    void ignoreUnknownOptionOnlyAppliesToLaterLines() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> text(MINIMAL + "future-thing\nignore-unknown-option future-thing\n"));
        assertEquals(Reason.UNKNOWN_DIRECTIVE, e.reason());
        assertEquals("future-thing", e.directive());
    }

    @Test
    void rejectsInvalidValuesOnTheirLine() {
        assertInvalid("remote r 0", 8, "remote");
        assertInvalid("remote r abc", 8, "remote");
        assertInvalid("remote r 1194 sctp", 8, "remote");
        assertInvalid("proto tcp-server", 8, "proto");
        assertInvalid("key-direction 2", 8, "key-direction");
        assertInvalid("remote-cert-tls peer", 8, "remote-cert-tls");
        assertInvalid("keepalive 10 15", 8, "keepalive");
        assertInvalid("data-ciphers AES-256-GCM:BF-CBC", 8, "data-ciphers");
        assertInvalid("redirect-gateway def1 everything", 8, "redirect-gateway");
        assertInvalid("verify-x509-name s prefix", 8, "verify-x509-name");
        assertInvalid("replay-window 70000", 8, "replay-window");
        assertInvalid("tls-version-min 1.4", 8, "tls-version-min");
        assertInvalid("verb 12", 8, "verb");
        assertInvalid("compress snappy", 8, "compress");
    }

    private static void assertInvalid(String line, int lineNo, String directive) {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(MINIMAL + line + "\n"), line);
        assertEquals(Reason.INVALID_VALUE, e.reason(), line);
        assertEquals(lineNo, e.line(), line);
        assertEquals(directive, e.directive(), line);
    }

    @Test
    void rejectsMissingRequiredDirectives() {
        assertMissing("client\ndev tun\n<ca>\n-----BEGIN C\n</ca>\nauth-user-pass\n", "remote");
        assertMissing("client\ndev tun\nremote r\nauth-user-pass\n", "ca");
        assertMissing("dev tun\nremote r\n<ca>\n-----BEGIN C\n</ca>\nauth-user-pass\n", "client");
        assertMissing("client\ndev tun\nremote r\n<ca>\n-----BEGIN C\n</ca>\n", "cert");
        assertMissing("client\ndev tun\nremote r\n<ca>\n-----BEGIN C\n</ca>\n<cert>\n-----BEGIN C\n</cert>\n", "key");
        assertMissing("client\ndev tun\nremote r\n<ca>\n-----BEGIN C\n</ca>\n<key>\n-----BEGIN K\n</key>\n", "cert");
    }

    private static void assertMissing(String body, String directive) {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(body), directive);
        assertEquals(Reason.MISSING_REQUIRED, e.reason(), e.getMessage());
        assertEquals(0, e.line());
        assertEquals(directive, e.directive());
    }

    @Test
    void connectionBlockWithoutRemoteNamesItsTag() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> text(MINIMAL + "<connection>\nproto tcp\n</connection>\n"));
        assertEquals(Reason.MISSING_REQUIRED, e.reason());
        assertEquals(8, e.line());
        assertEquals("remote", e.directive());
    }

    @Test
    void rejectsNonConnectionDirectiveInsideBlock() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> text(MINIMAL + "<connection>\nremote x\nverb 3\n</connection>\n"));
        assertEquals(Reason.SYNTAX_ERROR, e.reason());
        assertEquals(10, e.line());
    }

    @Test
    void rejectsServerModeAndUnsupportedSecurityOptions() {
        OvpnParseException server = assertThrows(OvpnParseException.class,
                () -> text(MINIMAL + "server 10.8.0.0 255.255.255.0\n"));
        assertEquals(Reason.CONFLICT, server.reason());
        OvpnParseException secret = assertThrows(OvpnParseException.class, () -> text(MINIMAL + "secret s.key\n"));
        assertEquals(Reason.UNSUPPORTED_DIRECTIVE, secret.reason());
        assertEquals("static-key mode is insecure and not supported", secret.detail());
    }

    /** OpenVPN 2.7: no dev means dev tun; DEFAULT in data-ciphers is the default list, in place. */
    @Test
    void openvpn27DefaultsDevTunAndExpandsDefaultInDataCiphers() throws Exception {
        ClientConfig c = text(MINIMAL.replace("dev tun\n", "") + "data-ciphers AES-128-CBC:DEFAULT:?BF-CBC\n");
        assertEquals("tun", c.device().name());
        assertTrue(!c.device().isTap());
        assertEquals(List.of("AES-128-CBC", "AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"), c.dataChannel().dataCiphers());
        assertTrue(text(MINIMAL.replace("dev tun\n", "") + "dev-type tap\n").device().isTap());
    }

    @Test
    void nsCertTypeIsReadAsOpenvpnReadsIt() throws Exception {
        assertEquals("server", text(MINIMAL + "ns-cert-type server\n").tls().nsCertType());
        assertEquals(null, text(MINIMAL).tls().nsCertType());
        OvpnParseException bad = assertThrows(OvpnParseException.class, () -> text(MINIMAL + "ns-cert-type both\n"));
        assertEquals(Reason.INVALID_VALUE, bad.reason());
    }

    @Test
    void rejectsInlineBlockForDirectiveWithoutInlineForm() {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> text(MINIMAL + "<verb>\n3\n</verb>\n"));
        assertEquals(Reason.SYNTAX_ERROR, e.reason());
        assertEquals("verb", e.directive());
    }

    @Test
    void rejectsStaticKeyWithoutMarkers() {
        OvpnParseException e = assertThrows(OvpnParseException.class,
                () -> text(MINIMAL + "<tls-crypt>\nnot a key\n</tls-crypt>\n"));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals(8, e.line());
    }

    @Test
    void missingReferencedFileNamesItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.ovpn");
        Files.writeString(p, "client\ndev tun\nremote r\nca ca.crt\nauth-user-pass creds\ntls-crypt tc.key\n");
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ClientConfig.load(p, false));
        assertEquals(Reason.FILE_NOT_READABLE, e.reason());
        assertEquals(6, e.line());
        assertEquals("tls-crypt", e.directive());
        // A missing login file is not an error: the login is asked for at connect (a profile from another machine).
        Files.writeString(p, "client\ndev tun\nremote r\nca ca.crt\nauth-user-pass creds\n");
        ClientConfig c = ClientConfig.load(p, false);
        assertTrue(c.authUserPass().needsPrompt());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("line 5: the auth-user-pass file creds")), c::toString);
    }
}
