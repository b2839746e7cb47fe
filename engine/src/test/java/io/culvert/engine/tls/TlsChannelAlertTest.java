package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.InstantSource;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * A channel whose handshake fails leaves the alert for the peer in its outgoing bytes, as OpenVPN 2.7 flushes
 * OpenSSL's alert before dropping the session; the peer's channel names that alert when it arrives.
 */
class TlsChannelAlertTest {

    /** Where a failed handshake stopped: which side threw, and what the other side then made of its last bytes. */
    private record Failure(boolean clientFailed, SSLException own, byte[] alert, SSLException atPeer) {}

    private static Failure run(TlsChannel client, TlsChannel server) throws Exception {
        client.start();
        for (int i = 0; i < 20; i++) {
            try {
                server.feed(client.takeOutgoing());
            } catch (SSLException e) {
                byte[] alert = server.takeOutgoing();
                return new Failure(false, e, alert, peerReaction(client, alert));
            }
            try {
                client.feed(server.takeOutgoing());
            } catch (SSLException e) {
                byte[] alert = client.takeOutgoing();
                return new Failure(true, e, alert, peerReaction(server, alert));
            }
        }
        return fail("the handshake did not fail");
    }

    private static SSLException peerReaction(TlsChannel peer, byte[] alert) {
        return assertThrows(SSLException.class, () -> peer.feed(alert), "the peer fails on the alert");
    }

    private static TlsSettings withVersions(TlsSettings s, String min, String max) {
        return s.toBuilder().versions(min, max).build();
    }

    @Test
    void clientRejectingTheServerCertificateSendsAnAlertTheServerNames() throws Exception {
        ThrowawayIdentity ours = ThrowawayIdentity.create("EC", InstantSource.system());
        ThrowawayIdentity stranger = ThrowawayIdentity.create("EC", InstantSource.system());
        Failure f = run(TlsChannel.create(stranger.client()), TlsChannel.create(ours.server()));
        assertTrue(f.clientFailed(), "the client's verification failed: " + f.own());
        assertNull(TlsChannel.receivedAlert(f.own()), "the client's own failure is no received alert");
        assertTrue(f.alert().length > 0, "the client left an alert to send");
        String alert = TlsChannel.receivedAlert(f.atPeer());
        assertNotNull(alert, "the server recognised an alert: " + f.atPeer());
        assertTrue(alert.equals("certificate_unknown") || alert.equals("bad_certificate"), alert);
    }

    @Test
    void serverRejectingTheClientCertificateSendsAnAlertTheClientNames() throws Exception {
        for (String max : new String[] {null, "1.2"}) {
            ThrowawayIdentity ours = ThrowawayIdentity.create("EC", InstantSource.system());
            ThrowawayIdentity stranger = ThrowawayIdentity.create("EC", InstantSource.system());
            // The client trusts our server, but its own certificate comes from a CA the server does not know.
            TlsSettings client = ours.client().toBuilder()
                    .identity(stranger.client().chain(), stranger.client().key()).versions(null, max).build();
            Failure f = run(TlsChannel.create(client), TlsChannel.create(withVersions(ours.server(), null, max)));
            assertTrue(!f.clientFailed(), "TLS max " + max + ": the server's verification failed: " + f.own());
            assertTrue(f.alert().length > 0, "the server left an alert to send");
            String alert = TlsChannel.receivedAlert(f.atPeer());
            assertNotNull(alert, "TLS max " + max + ": the client recognised an alert: " + f.atPeer());
        }
    }

    @Test
    void versionMismatchSendsProtocolVersion() throws Exception {
        ThrowawayIdentity id = ThrowawayIdentity.create("EC", InstantSource.system());
        Failure f = run(TlsChannel.create(withVersions(id.client(), null, "1.2")),
                TlsChannel.create(withVersions(id.server(), "1.3", null)));
        assertTrue(!f.clientFailed(), "the server refused the ClientHello: " + f.own());
        assertEquals("protocol_version", TlsChannel.receivedAlert(f.atPeer()));
    }

    /** OpenSSL refusing a TLS 1.3 server's certificate sends its alert in the clear; JSSE words that differently. */
    @Test
    void alertSentInTheClearIsNamedToo() {
        SSLException jsse = new javax.net.ssl.SSLProtocolException("Unexpected exception");
        jsse.initCause(new java.security.GeneralSecurityException("Unexpected plaintext alert received: Level: fatal; Alert: unknown_ca"));
        assertEquals("unknown_ca", TlsChannel.receivedAlert(jsse));
        assertNull(TlsChannel.receivedAlert(new SSLException("certificate verify failed")));
    }
}
