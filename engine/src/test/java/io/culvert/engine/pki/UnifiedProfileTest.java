package io.culvert.engine.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.DataOptions;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.PemReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedProfileTest {
    @TempDir
    Path dir;
    private DirectoryPkiStore store;
    private Pki pki;

    @BeforeEach
    void init() throws Exception {
        store = new DirectoryPkiStore(dir.resolve("pki"));
        pki = new Pki(store, InstantSource.fixed(Instant.parse("2026-03-01T00:00:00Z")), new SecureRandom());
        pki.init("Profile CA", KeyAlgorithm.EC_P256, 365, "vpn-server", 365);
        pki.issue("alice", CertKind.CLIENT, 365);
    }

    private static ClientConfig parse(String text) throws Exception {
        return ClientConfig.from(OvpnFile.parse(text), null, false);
    }

    @Test
    void defaultProfileParsesAndCarriesWorkingInlineMaterial() throws Exception {
        StaticKey tc = pki.staticKey(PkiStore.StaticKeyKind.TLS_CRYPT);
        String text = UnifiedProfile.render(ExportOptions.defaults("vpn.example.org").withServerName("vpn-server"),
                pki.caPem(), pki.credentials("alice"), tc);
        ClientConfig c = parse(text);
        assertEquals(List.of(new ClientConfig.Remote("vpn.example.org", 1194, ClientConfig.Proto.UDP)), c.transport().remotes());
        assertEquals(ClientConfig.DevType.TUN, c.device().type());
        assertEquals("server", c.tls().remoteCertTls());
        assertEquals(new ClientConfig.VerifyX509Name("vpn-server", "name"), c.tls().verifyX509Name());
        assertEquals(DataOptions.DEFAULT_DATA_CIPHERS, c.dataChannel().dataCiphers());
        assertTrue(c.pull() && c.tlsClient() && c.transport().nobind());
        assertEquals(tc, StaticKey.parse(c.wrap().tlsCryptKey()));
        assertNull(c.wrap().tlsAuthKey());

        X509Certificate ca = PemReader.certificates(c.keys().caPem()).getFirst();
        X509Certificate cert = PemReader.certificates(c.keys().certPem()).getFirst();
        cert.verify(ca.getPublicKey());
        assertEquals("alice", PeerVerification.commonName(cert));
        assertEquals(cert.getPublicKey().getAlgorithm(), PemReader.privateKey(c.keys().keyPem()).getAlgorithm());
        assertEquals(pki.caCertificate(), ca);
        assertTrue(c.warnings().isEmpty(), c.warnings()::toString);
    }

    @Test
    void profileHasTheUnifiedLayout() throws Exception {
        String text = UnifiedProfile.render(ExportOptions.defaults("10.0.0.1"), pki.caPem(), pki.credentials("alice"),
                pki.staticKey(PkiStore.StaticKeyKind.TLS_CRYPT));
        List<String> tags = text.lines().filter(l -> l.startsWith("<")).toList();
        assertEquals(List.of("<ca>", "</ca>", "<cert>", "</cert>", "<key>", "</key>", "<tls-crypt>", "</tls-crypt>"), tags);
        assertTrue(text.startsWith("# OpenVPN client profile for 'alice'"));
        assertTrue(text.contains("\nclient\ndev tun\nproto udp\nremote 10.0.0.1 1194\n"));
        assertTrue(text.contains("-----BEGIN PRIVATE KEY-----"));
        assertTrue(!text.contains("key-direction"));
    }

    @Test
    void tlsAuthProfileUsesKeyDirectionOne() throws Exception {
        StaticKey ta = pki.staticKey(PkiStore.StaticKeyKind.TLS_AUTH);
        ExportOptions o = ExportOptions.defaults("h").withWrap(ExportOptions.WrapMode.TLS_AUTH).withProto("tcp").withPort(443)
                .withDev("tap");
        ClientConfig c = parse(UnifiedProfile.render(o, pki.caPem(), pki.credentials("alice"), ta));
        assertEquals(ta, StaticKey.parse(c.wrap().tlsAuthKey()));
        assertEquals(Integer.valueOf(1), c.wrap().keyDirection());
        assertNull(c.wrap().tlsCryptKey());
        assertEquals(new ClientConfig.Remote("h", 443, ClientConfig.Proto.TCP), c.transport().remotes().getFirst());
        assertEquals(ClientConfig.DevType.TAP, c.device().type());
    }

    @Test
    void optionsFromAServerConfigMatchThatServer() throws Exception {
        Path root = store.root();
        String conf = String.join("\n", "port 1195", "proto tcp-server", "dev tap", "server 10.8.0.0 255.255.255.0",
                "ca " + root.resolve("ca.crt"), "cert " + root.resolve("issued/vpn-server.crt"),
                "key " + root.resolve("private/vpn-server.key"), "dh none",
                "tls-auth " + root.resolve("ta.key") + " 0", "auth SHA256",
                "data-ciphers AES-128-CBC:AES-256-GCM", "comp-lzo no", "crl-verify " + root.resolve("crl.pem"), "");
        Path file = dir.resolve("server.conf");
        Files.writeString(file, conf);
        ServerConfig sc = ServerConfig.load(file, false);
        ExportOptions o = ExportOptions.forServer(sc, "vpn.example.org");
        assertEquals(1195, o.port());
        assertEquals("tcp", o.proto());
        assertEquals("tap", o.dev());
        assertEquals(ExportOptions.WrapMode.TLS_AUTH, o.wrap());
        assertEquals(Integer.valueOf(1), o.keyDirection());
        assertEquals(pki.staticKey(PkiStore.StaticKeyKind.TLS_AUTH), o.wrapKey());
        assertEquals("vpn-server", o.serverName());
        assertEquals("SHA256", o.auth());
        assertEquals("comp-lzo no", o.compression());

        ClientConfig c = parse(UnifiedProfile.render(o, pki.caPem(), pki.credentials("alice"), o.wrapKey()));
        assertEquals(List.of("AES-128-CBC", "AES-256-GCM"), c.dataChannel().dataCiphers());
        assertEquals("SHA256", c.dataChannel().auth());
        assertEquals("no", c.dataChannel().compLzo());
        assertEquals(Integer.valueOf(1), c.wrap().keyDirection());
        assertEquals(new ClientConfig.Remote("vpn.example.org", 1195, ClientConfig.Proto.TCP),
                c.transport().remotes().getFirst());
    }

    /**
     * A server with UDP, TCP and a WebSocket endpoint exports all three, UDP first, one {@code <connection>} block each,
     * the WebSocket one written so that stock OpenVPN loads it (issue 14, ADR 0047).
     */
    @Test
    void aServerWithUdpTcpAndWebSocketExportsThemAllInFallbackOrder() throws Exception {
        Path root = store.root();
        Path file = dir.resolve("server.conf");
        Files.writeString(file, String.join("\n", "server 10.8.0.0 255.255.255.0", "dev tun", "local * 443 tcp",
                "local * 1194 udp", "setenv opt culvert-websocket 127.0.0.1:8081 /vpn",
                "ca " + root.resolve("ca.crt"), "cert " + root.resolve("issued/vpn-server.crt"),
                "key " + root.resolve("private/vpn-server.key"), "dh none", ""));
        ExportOptions o = ExportOptions.forServer(ServerConfig.load(file, false), "vpn.example.org");
        String text = UnifiedProfile.render(o, pki.caPem(), pki.credentials("alice"), null);
        assertTrue(text.contains("<connection>\nremote vpn.example.org 1194 udp\n</connection>\n"
                + "<connection>\nremote vpn.example.org 443 tcp\n</connection>\n"
                + "<connection>\nremote vpn.example.org 443 tcp\n"
                + "setenv opt culvert-remote-websocket wss://vpn.example.org/vpn\n</connection>\n"), text);
        List<ClientConfig.Remote> remotes = parse(text).transport().remotes();
        assertEquals(List.of(ClientConfig.Proto.UDP, ClientConfig.Proto.TCP, ClientConfig.Proto.TCP),
                remotes.stream().map(ClientConfig.Remote::proto).toList());
        assertEquals("wss://vpn.example.org/vpn", remotes.get(2).webSocket().url());
    }

    @Test
    void bidirectionalTlsAuthServerGetsNoKeyDirection() throws Exception {
        Path root = store.root();
        Path file = dir.resolve("server.conf");
        Files.writeString(file, String.join("\n", "server 10.8.0.0 255.255.255.0", "dev tun",
                "ca " + root.resolve("ca.crt"), "cert " + root.resolve("issued/vpn-server.crt"),
                "key " + root.resolve("private/vpn-server.key"), "dh none", "tls-auth " + root.resolve("ta.key"), ""));
        ExportOptions o = ExportOptions.forServer(ServerConfig.load(file, false), "h");
        assertNull(o.keyDirection());
        String text = UnifiedProfile.render(o, pki.caPem(), pki.credentials("alice"), o.wrapKey());
        assertTrue(!text.contains("key-direction"));
        assertNull(parse(text).wrap().keyDirection());
    }

    @Test
    void rejectsOptionsThatWouldBreakTheFile() {
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults("evil host"));
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults("a\nscript-security 3"));
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults("h").withPort(0));
        assertThrows(IllegalArgumentException.class, () -> ExportOptions.defaults("h").withProto("sctp"));
        assertThrows(IllegalArgumentException.class, () -> UnifiedProfile.render(ExportOptions.defaults("h"), "ca",
                new Credentials("alice", "c", "k"), null));
    }
}
