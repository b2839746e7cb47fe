package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.file.OvpnParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11's server-side options: how a server config reads them, and what OpenVPN refuses. */
class ServerIssue11OptionsTest {
    private static final String BASE = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\nserver 10.8.0.0 255.255.255.0\n";

    @Test
    void sessionTimeoutX509FieldsAndTrackAreRead() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "session-timeout 3600\nx509-username-field emailAddress OU\n"
                + "x509-track SHA256\nx509-track +CN\n");
        assertEquals(3600, c.keepalive().sessionTimeout());
        assertEquals(List.of("emailAddress", "OU"), c.checks().usernameFields());
        assertEquals(List.of("SHA256", "+CN"), c.scripts().x509Track());
        assertEquals(List.of("CN"), ServerConfigTest.text(BASE).checks().usernameFields(), "OpenVPN's default");
    }

    @Test
    void shaperIsRefusedInAServerAsOpenvpnDoes() {
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + "shaper 10000\n"));
        assertTrue(e.detail().contains("--shaper cannot be used with --mode server"), e.detail());
    }

    @Test
    void unknownCertificateFieldsAreRefused() {
        OvpnParseException track = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + "x509-track nosuch\n"));
        assertTrue(track.detail().contains("x509_track: no such attribute 'nosuch'"), track.detail());
        OvpnParseException field = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "x509-username-field nosuch\n"));
        assertTrue(field.detail().contains("no such certificate field"), field.detail());
        OvpnParseException ext = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "x509-username-field ext:subjectAltName\n"));
        assertTrue(ext.detail().contains("extensions are not read yet"), ext.detail());
    }

    @Test
    void tcpNodelayPushesTheSocketFlagAfterTheKeepalivePushesAsOpenvpnDoes() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "proto tcp-server\nkeepalive 10 60\ntcp-nodelay\n");
        assertEquals(List.of("route 10.8.0.1", "topology net30", "ping 10", "ping-restart 60", "socket-flags TCP_NODELAY"),
                c.routing().pushes());
    }

    @Test
    void portShareIsReadForATcpServerAndRefusedWithoutOne() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "proto tcp-server\nport 443\nport-share 127.0.0.1 8443 /run/ps\n");
        assertEquals(new Listen.PortShare("127.0.0.1", 8443, "/run/ps"), c.listen().portShare());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("proxy-info folder is not applied")), c.warnings()::toString);
        OvpnParseException udp = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "proto udp\nport-share 127.0.0.1 8443\n"));
        assertTrue(udp.detail().contains("only works in TCP server mode"), udp.detail());
    }

    @Test
    void connectFreqIsReadForUdpAndRefusedForTcpAsOpenvpnDoes() throws Exception {
        ServerClients c = ServerConfigTest.text(BASE + "connect-freq 3 60\nconnect-freq-initial 50 5\n").clients();
        assertEquals(new ServerClients.Rate(3, 60), c.connectFreq());
        assertEquals(new ServerClients.Rate(50, 5), c.connectFreqInitial());
        OvpnParseException tcp = assertThrows(OvpnParseException.class,
                () -> ServerConfigTest.text(BASE + "proto tcp-server\nconnect-freq 3 60\n"));
        assertTrue(tcp.detail().contains("--connect-freq only works with --mode server --proto udp"), tcp.detail());
        assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + "connect-freq 0 60\n"));
    }

    @Test
    void aServerDirectiveThatIsNotAppliedSaysWhyAtItsLine() throws Exception {
        ServerConfig c = ServerConfigTest.text(BASE + "stale-routes-check 30\nhash-size 256 256\n");
        assertTrue(c.warnings().contains("line 7: 'stale-routes-check' ignored: a client's routes are dropped"
                + " only when it disconnects"), c.warnings()::toString);
        assertTrue(c.warnings().stream().noneMatch(w -> w.contains("hash-size")), "ignored quietly: " + c.warnings());
        assertTrue(c.ignoredOptionsReported().contains("hash-size"));
        OvpnParseException vlan = assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(BASE + "vlan-tagging\n"));
        assertTrue(vlan.detail().contains("VLAN separation"), vlan.detail());
    }
}
