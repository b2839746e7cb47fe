package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * Channels built from the same settings share one SSLContext; OpenVPN verifies the peer on every handshake and
 * stock OpenVPN sends no session tickets, so every handshake must still be a full one, with no ticket on the wire.
 */
class TlsChannelReuseTest {

    /** Bytes each side sent during one handshake that also carried one small record each way. */
    private record Handshake(int clientBytes, int serverBytes, TlsChannel client, TlsChannel server) {}

    private static Handshake handshake(ThrowawayIdentity id) throws Exception {
        TlsChannel client = TlsChannel.create(id.client());
        TlsChannel server = TlsChannel.create(id.server());
        client.start();
        int fromClient = 0;
        int fromServer = 0;
        for (int i = 0; i < 20 && !(client.handshakeDone() && server.handshakeDone()); i++) {
            byte[] c = client.takeOutgoing();
            fromClient += c.length;
            server.feed(c);
            byte[] s = server.takeOutgoing();
            fromServer += s.length;
            client.feed(s);
        }
        client.write(new byte[] {1});
        byte[] c = client.takeOutgoing();
        fromClient += c.length;
        server.feed(c);
        server.write(new byte[] {2});
        byte[] s = server.takeOutgoing();
        fromServer += s.length;
        client.feed(s);
        assertEquals(1, server.takeRecords().size());
        assertEquals(1, client.takeRecords().size());
        return new Handshake(fromClient, fromServer, client, server);
    }

    /** Equal up to the few bytes by which two ECDSA signatures' DER encodings differ. */
    private static void assertNear(int expected, int actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 4, what + ": " + actual + " bytes, first handshake " + expected);
    }

    @Test
    void secondHandshakeWithTheSameSettingsIsFullAndSendsNoTicket() throws Exception {
        ThrowawayIdentity id = ThrowawayIdentity.create("EC", InstantSource.system());
        Handshake first = handshake(id);
        Handshake second = handshake(id);
        // A resumed TLS 1.3 handshake carries no Certificate or CertificateVerify: hundreds of bytes fewer.
        assertNear(first.serverBytes(), second.serverBytes(), "server flight of the second handshake");
        assertNear(first.clientBytes(), second.clientBytes(), "client flight of the second handshake");
        assertNotNull(second.server().peerCertificate(), "the server saw (and verified) the client's certificate again");
        assertNotNull(second.client().peerCertificate());
        // Nothing left over: no NewSessionTicket after the handshake.
        assertEquals(0, second.server().takeOutgoing().length);
        assertTrue(second.client().description().startsWith("TLSv1.3"));
    }

    /**
     * A client that keeps its sessions and offers them (a JSSE client with a peer host and port, unlike Culvert's)
     * connects twice to channels of one server settings: the server must not resume, neither by ticket nor by id.
     */
    @Test
    void serverRefusesToResumeForAClientThatOffersIt() throws Exception {
        for (String max : new String[] {null, "1.2"}) {
            ThrowawayIdentity base = ThrowawayIdentity.create("EC", InstantSource.system());
            TlsSettings c = base.client();
            TlsSettings serverSettings = base.server().toBuilder().versions(null, max).build();
            javax.net.ssl.SSLContext clientContext = TlsChannel.context(c.toBuilder().versions(null, max).build());
            int[] serverBytes = new int[2];
            for (int round = 0; round < 2; round++) {
                javax.net.ssl.SSLEngine client = clientContext.createSSLEngine("peer.example", 1194);
                client.setUseClientMode(true);
                TlsChannel server = TlsChannel.create(serverSettings);
                serverBytes[round] = rawHandshake(client, server);
                assertNotNull(server.peerCertificate(), "server verified a client certificate in round " + round);
            }
            assertNear(serverBytes[0], serverBytes[1], "TLS max " + max + ": server flight when the client offers resumption");
        }
    }

    /** Drives a raw client engine against a channel until both are done; returns the bytes the server sent. */
    private static int rawHandshake(javax.net.ssl.SSLEngine client, TlsChannel server) throws Exception {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer app = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer none = java.nio.ByteBuffer.allocate(0);
        int fromServer = 0;
        client.beginHandshake();
        for (int i = 0; i < 50 && !(server.handshakeDone() && client.getHandshakeStatus()
                == javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING); i++) {
            switch (client.getHandshakeStatus()) {
                case NEED_TASK -> client.getDelegatedTask().run();
                case NEED_WRAP -> {
                    out.clear();
                    client.wrap(none, out);
                    out.flip();
                    byte[] b = new byte[out.remaining()];
                    out.get(b);
                    server.feed(b);
                }
                default -> {
                    byte[] s = server.takeOutgoing();
                    fromServer += s.length;
                    in.put(s);
                    in.flip();
                    client.unwrap(in, app);
                    in.compact();
                }
            }
        }
        assertTrue(server.handshakeDone(), "handshake completed");
        byte[] rest = server.takeOutgoing(); // post-handshake messages (a NewSessionTicket, if any) reach the client too
        fromServer += rest.length;
        in.put(rest);
        in.flip();
        while (in.hasRemaining() && client.unwrap(in, app).bytesConsumed() > 0) {
            app.clear();
        }
        return fromServer;
    }

    @Test
    void tls12HandshakesAreFullToo() throws Exception {
        ThrowawayIdentity base = ThrowawayIdentity.create("EC", InstantSource.system());
        TlsSettings c = base.client();
        TlsSettings s = base.server();
        ThrowawayIdentity id = new ThrowawayIdentity(
                c.toBuilder().versions(null, "1.2").build(),
                s.toBuilder().versions(null, "1.2").build());
        Handshake first = handshake(id);
        Handshake second = handshake(id);
        assertTrue(second.client().description().startsWith("TLSv1.2"));
        assertNear(first.serverBytes(), second.serverBytes(), "an abbreviated TLS 1.2 handshake would be shorter");
        assertNotNull(second.server().peerCertificate());
    }
}
