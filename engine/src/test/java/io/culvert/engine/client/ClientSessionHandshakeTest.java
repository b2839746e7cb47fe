package io.culvert.engine.client;

import static io.culvert.engine.testkit.SessionRig.ipPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Full client handshakes against the scripted server: perfect and lossy links, every control wrap. */
class ClientSessionHandshakeTest {

    @ParameterizedTest
    @EnumSource(value = Wrap.class, names = "TLS_CRYPT_V2", mode = EnumSource.Mode.EXCLUDE) // the scripted server has no v2
    void reachesConnectedOverPerfectLinkAndCarriesDataBothWays(Wrap wrap) {
        SessionRig rig = SessionRig.againstScript(wrap);
        rig.start();
        // A perfect link needs no timer at all: every step is triggered by a packet.
        assertTrue(rig.session.connected(), () -> "not connected: " + rig.session.failure() + " " + rig.io.logs);
        assertEquals(List.of("WAIT", "AUTH", "GET_CONFIG", "configureTunnel", "CONNECTED"), rig.io.events);
        // The runner announces "Initialization Sequence Completed" while configuring the tunnel; whatever a user sends
        // then must find keys on the data threads, not be dropped (seen as a lost first ping under load).
        assertTrue(rig.io.keysAtConfigure != null && rig.io.keysAtConfigure.sending(),
                "keys published to the data threads before the tunnel is announced");

        io.culvert.engine.testkit.RecordingSessionIo.Configured c = rig.io.configured.getFirst();
        assertEquals(List.of("10.8.0.2", "255.255.255.0"), c.config().ifconfig());
        assertEquals("subnet", c.config().topology());
        assertEquals("10.8.0.1", c.config().routeGateway());
        assertEquals(0, c.config().peerId());
        assertTrue(c.config().tlsEkm());
        assertTrue(c.config().ccExit());
        assertEquals("AES-256-GCM", c.cipher());
        assertTrue(c.tls().startsWith("TLSv1.3"), c.tls());
        assertEquals("EKM", rig.scripted().primaryDerivation());
        assertEquals(List.of("PUSH_REQUEST"), rig.scripted().controlMessages());

        rig.clientTun(ipPacket(1));
        assertEquals(1, rig.scripted().received().size());
        assertArrayEquals(ipPacket(1), rig.scripted().received().getFirst());
        byte[] lastSent = rig.io.sent.getLast();
        assertEquals(DataChannel.P_DATA_V2 << 3, lastSent[0] & 0xff, "peer-id 0 pushed: P_DATA_V2, key id 0");

        rig.serverTun(ipPacket(2));
        assertEquals(1, rig.io.tunWrites.size());
        assertArrayEquals(ipPacket(2), rig.io.tunWrites.getFirst());
        assertEquals(0, rig.io.totalDrops(), () -> "drops: " + rig.io.drops);
        assertNull(rig.session.failure());
    }

    @ParameterizedTest
    @EnumSource(value = Wrap.class, names = "TLS_CRYPT_V2", mode = EnumSource.Mode.EXCLUDE) // the scripted server has no v2
    void clientPeerInfoAnnouncesProtocolAndCiphers(Wrap wrap) {
        SessionRig rig = SessionRig.againstScript(wrap).start();
        String info = rig.scripted().clientKeyMethod2().peerInfo();
        assertTrue(info.contains("IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n"), info);
        assertTrue(info.contains("IV_PROTO=" + Handshake.IV_PROTO + "\n"), info);
        assertEquals(0, Handshake.IV_PROTO & 32, "a pull client must not set IV_PROTO_NCP_P2P");
        assertEquals(1024, Handshake.IV_PROTO & 1024, "offers 2.7's epoch data format (IV_PROTO_DATA_EPOCH)");
        assertTrue(rig.scripted().clientKeyMethod2().options().endsWith("key-method 2,tls-client"));
    }

    @ParameterizedTest
    @EnumSource(value = Wrap.class, names = "TLS_CRYPT_V2", mode = EnumSource.Mode.EXCLUDE) // the scripted server has no v2
    void reachesConnectedOverLossyReorderingDuplicatingLink(Wrap wrap) {
        long lost = 0;
        long retransmitDriven = 0;
        for (long seed = 1; seed <= 16; seed++) {
            SessionRig rig = SessionRig.with(wrap).seed(seed).againstScript();
            rig.toServer.impair(0.2, 0.1, 0.2);
            rig.toClient.impair(0.2, 0.1, 0.2);
            long start = rig.clock.millis();
            long s = seed;
            assertTrue(rig.connect(Duration.ofSeconds(60)),
                    () -> "seed " + s + ": " + rig.session.failure() + " " + rig.session.failureDetail());
            assertEquals(List.of("WAIT", "AUTH", "GET_CONFIG", "configureTunnel", "CONNECTED"), rig.io.events);
            lost += rig.toServer.lostCount() + rig.toClient.lostCount();
            retransmitDriven += rig.clock.millis() > start ? 1 : 0;

            for (int i = 0; i < 40; i++) {
                rig.session.onTun(ipPacket(i), 0, 60);
                rig.scripted().sendData(ipPacket(1000 + i));
            }
            rig.pump();
            assertUniqueSubset(rig.scripted().received(), 0);
            assertUniqueSubset(rig.io.tunWrites, 1000);
            assertTrue(rig.scripted().received().size() >= 20 && rig.io.tunWrites.size() >= 20, "most data arrives");
            assertFalse(rig.session.finished());
        }
        assertTrue(lost > 10, "the link really lost packets: " + lost);
        assertTrue(retransmitDriven >= 6, "most handshakes needed the clock (retransmits): " + retransmitDriven);
    }

    /** Every packet is one we sent (none corrupted), and none arrives twice (duplicates are replays). */
    private static void assertUniqueSubset(List<byte[]> got, int base) {
        boolean[] seen = new boolean[40];
        for (byte[] p : got) {
            int n = ((p[28] & 0xff) << 24 | (p[29] & 0xff) << 16 | (p[30] & 0xff) << 8 | (p[31] & 0xff)) - base;
            assertTrue(n >= 0 && n < 40, "unknown packet " + n);
            assertArrayEquals(ipPacket(n + base), p);
            assertFalse(seen[n], "duplicate delivered: " + n);
            seen[n] = true;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wrap.class, names = "TLS_CRYPT_V2", mode = EnumSource.Mode.EXCLUDE) // the scripted server has no v2
    void duplicatedDataPacketIsDroppedAsReplay(Wrap wrap) {
        SessionRig rig = SessionRig.againstScript(wrap).start();
        byte[] packet = rig.scripted().sendData(ipPacket(5));
        rig.pump();
        rig.session.onLink(packet, 0, packet.length);
        assertEquals(1, rig.io.tunWrites.size());
        assertEquals(1, rig.io.drops(DropReason.REPLAY));
        assertEquals(List.of(ConnectionState.WAIT, ConnectionState.AUTH, ConnectionState.GET_CONFIG, ConnectionState.CONNECTED),
                rig.io.states);
    }
}
