package io.culvert.engine.client;

import static io.culvert.engine.testkit.SessionRig.ipPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.testkit.ServerScript.Derivation;
import io.culvert.engine.testkit.SessionRig;
import io.culvert.engine.testkit.SessionRig.Wrap;
import io.culvert.engine.tun.TestPackets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the push negotiates: key derivation method, data cipher, compression framing, peer-id. */
class ClientSessionNegotiationTest {
    private static final String BASE = "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 60,"
            + "ifconfig 10.8.0.2 255.255.255.0";

    private static SessionRig connectWith(String push, Derivation derivation) {
        return SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse(push).withDerivation(derivation)).againstScript().start();
    }

    private static void assertDataFlowsBothWays(SessionRig rig) {
        rig.clientTun(ipPacket(7));
        rig.serverTun(ipPacket(8));
        assertEquals(1, rig.scripted().received().size(), () -> "server drops " + rig.scripted().drops());
        assertArrayEquals(ipPacket(7), rig.scripted().received().getFirst());
        assertEquals(1, rig.io.tunWrites.size(), () -> "client drops " + rig.io.drops);
        assertArrayEquals(ipPacket(8), rig.io.tunWrites.getFirst());
    }

    @Test
    void usesOpenvpnPrfWhenPushLacksTlsEkm() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit", Derivation.FOLLOW_PUSH);
        assertTrue(rig.session.connected());
        assertFalse(rig.io.configured.getFirst().config().tlsEkm());
        assertEquals("PRF", rig.scripted().primaryDerivation());
        assertDataFlowsBothWays(rig);
    }

    @Test
    void usesEkmWhenPushSaysProtocolFlagsTlsEkm() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm", Derivation.FOLLOW_PUSH);
        assertEquals("EKM", rig.scripted().primaryDerivation());
        assertDataFlowsBothWays(rig);
    }

    @Test
    void usesEpochFormatWhenPushSaysAeadEpoch() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm aead-epoch",
                Derivation.FOLLOW_PUSH);
        assertTrue(rig.io.configured.getFirst().config().aeadEpoch());
        assertDataFlowsBothWays(rig);
        // On the wire: V2 header, then epoch 1 in the top 16 bits of an 8-byte packet id, the tag at the end.
        byte[] data = rig.io.sent.stream().filter(p -> (p[0] & 0xff) >>> 3 == DataChannel.P_DATA_V2).findFirst().orElseThrow();
        assertEquals(0, data[4]);
        assertEquals(1, data[5]);
        assertEquals(4 + 8 + ipPacket(7).length + 16, data.length);
    }

    @Test
    void refusesAeadEpochWithoutPeerIdOrWithCbcAs27Does() {
        SessionRig noPeerId = connectWith(BASE + ",cipher AES-256-GCM,protocol-flags cc-exit tls-ekm aead-epoch",
                Derivation.FOLLOW_PUSH);
        assertEquals(ErrorKind.UNSUPPORTED_PUSH, noPeerId.session.failure());
        assertTrue(noPeerId.io.configured.isEmpty());
        SessionRig cbc = SessionRig.with(Wrap.NONE)
                .script(s -> s.withPushResponse(BASE + ",peer-id 0,cipher AES-256-CBC,protocol-flags aead-epoch").withAuthDigest("SHA1"))
                .clientCiphers(List.of("AES-256-GCM", "AES-256-CBC")).againstScript().start();
        assertEquals(ErrorKind.UNSUPPORTED_PUSH, cbc.session.failure());
        assertTrue(cbc.io.configured.isEmpty());
    }

    @Test
    void classicFormatWithoutAeadEpochInThePush() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm",
                Derivation.FOLLOW_PUSH);
        assertFalse(rig.io.configured.getFirst().config().aeadEpoch());
        assertDataFlowsBothWays(rig);
        byte[] data = rig.io.sent.stream().filter(p -> (p[0] & 0xff) >>> 3 == DataChannel.P_DATA_V2).findFirst().orElseThrow();
        assertEquals(4 + 4 + 16 + ipPacket(7).length, data.length);
    }

    @Test
    void usesEkmWhenPushSaysKeyDerivationTlsEkm() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,key-derivation tls-ekm", Derivation.FOLLOW_PUSH);
        assertEquals("EKM", rig.scripted().primaryDerivation());
        assertDataFlowsBothWays(rig);
    }

    @Test
    void derivesWithPrfEvenIfServerWouldExportWhenPushIsSilent() {
        // The server (wrongly) uses EKM without saying so: the client must follow the push, so nothing decrypts.
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM", Derivation.EKM);
        assertTrue(rig.session.connected());
        rig.serverTun(ipPacket(1));
        assertEquals(0, rig.io.tunWrites.size());
        assertEquals(1, rig.io.drops(DropReason.DECRYPT_FAILED));
        rig.clientTun(ipPacket(2));
        assertEquals(0, rig.scripted().received().size());
        assertEquals(1, rig.scripted().drops().get(DropReason.DECRYPT_FAILED));
    }

    @Test
    void withoutPeerIdSendsDataV1() {
        SessionRig rig = connectWith(BASE + ",cipher AES-256-GCM,protocol-flags cc-exit tls-ekm", Derivation.FOLLOW_PUSH);
        assertEquals(-1, rig.io.configured.getFirst().config().peerId());
        assertDataFlowsBothWays(rig);
        byte[] data = rig.io.sent.stream().filter(p -> (p[0] & 0xff) >>> 3 == DataChannel.P_DATA_V1).findFirst().orElseThrow();
        assertEquals(DataChannel.P_DATA_V1 << 3, data[0] & 0xff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES-128-GCM", "CHACHA20-POLY1305", "AES-256-CBC"})
    void negotiatesEveryCipherInDataCiphers(String cipher) {
        SessionRig rig = SessionRig.with(Wrap.TLS_AUTH)
                .script(s -> s.withPushResponse(BASE + ",peer-id 3,cipher " + cipher).withAuthDigest("SHA256"))
                .clientCiphers(List.of("AES-256-GCM", cipher)).againstScript().start();
        // The client's auth is SHA1 in SessionRig; CBC then needs the same digest on both ends.
        if (cipher.endsWith("CBC")) {
            assertEquals(cipher, rig.io.configured.getFirst().cipher());
            rig.serverTun(ipPacket(1));
            assertEquals(0, rig.io.tunWrites.size(), "HMAC digests differ (SHA256 vs SHA1)");
            assertEquals(1, rig.io.totalDrops());
            return;
        }
        assertEquals(cipher, rig.io.configured.getFirst().cipher());
        assertDataFlowsBothWays(rig);
        assertEquals(3, rig.io.sent.getLast()[3] & 0xff, "peer-id 3 in the P_DATA_V2 header");
    }

    @Test
    void cbcCipherWorksWhenDigestsMatch() {
        SessionRig rig = SessionRig.with(Wrap.NONE)
                .script(s -> s.withPushResponse(BASE + ",peer-id 0,cipher AES-256-CBC").withAuthDigest("SHA1"))
                .clientCiphers(List.of("AES-256-GCM", "AES-256-CBC")).againstScript().start();
        assertEquals("AES-256-CBC", rig.io.configured.getFirst().cipher());
        assertEquals("PRF", rig.scripted().primaryDerivation());
        assertDataFlowsBothWays(rig);
    }

    @Test
    void failsWhenServerPushesCipherNotInDataCiphers() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-128-CBC", Derivation.FOLLOW_PUSH);
        assertTrue(rig.session.finished());
        assertEquals(ErrorKind.CIPHER_NEGOTIATION_FAILED, rig.session.failure());
        assertTrue(rig.session.failureDetail().contains("AES-128-CBC"), rig.session.failureDetail());
        assertTrue(rig.io.configured.isEmpty());
        assertFalse(rig.session.connected());
        assertTrue(ErrorKind.CIPHER_NEGOTIATION_FAILED.haltsReconnect());
    }

    @Test
    void failsWhenServerPushesNoCipherAndNoFallbackIsSet() {
        SessionRig rig = connectWith(BASE + ",peer-id 0", Derivation.FOLLOW_PUSH);
        assertEquals(ErrorKind.CIPHER_NEGOTIATION_FAILED, rig.session.failure());
        assertTrue(rig.io.configured.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"comp-lzo yes", "comp-lzo", "comp-lzo adaptive", "compress lz4", "compress lz4-v2", "compress lzo"})
    void refusesPushedRealCompression(String compression) {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM," + compression, Derivation.FOLLOW_PUSH);
        assertEquals(ErrorKind.UNSUPPORTED_PUSH, rig.session.failure());
        assertTrue(rig.io.configured.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"compress stub-v2", "compress stub", "compress", "comp-lzo no"})
    void stubCompressionFramesDataBothWays(String compression) {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,protocol-flags tls-ekm," + compression,
                Derivation.FOLLOW_PUSH);
        assertTrue(rig.session.connected(), () -> rig.session.failure() + " " + rig.session.failureDetail());
        assertDataFlowsBothWays(rig);
        // 0x50 is stub-v2's indicator byte: such payloads must be escaped and unescaped, not mistaken.
        byte[] tricky = {0x50, 0x00, 0x01, 0x02, 0x03};
        rig.clientTun(tricky);
        rig.serverTun(tricky);
        assertArrayEquals(tricky, rig.scripted().received().getLast());
        assertArrayEquals(tricky, rig.io.tunWrites.getLast());
        assertEquals(0, rig.io.totalDrops(), () -> "drops " + rig.io.drops);
    }

    @Test
    void joinsContinuedPushReplyParts() {
        SessionRig rig = SessionRig.with(Wrap.TLS_CRYPT).script(s -> s.withPushResponse(
                "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,route 192.168.7.0 255.255.255.0,push-continuation 2",
                "PUSH_REPLY,ifconfig 10.8.0.9 255.255.255.0,peer-id 0,cipher AES-256-GCM,protocol-flags tls-ekm,"
                        + "push-continuation 1")).againstScript().start();
        assertTrue(rig.session.connected());
        PushedConfig c = rig.io.configured.getFirst().config();
        assertEquals(List.of("10.8.0.9", "255.255.255.0"), c.ifconfig());
        assertEquals(List.of(List.of("192.168.7.0", "255.255.255.0")), c.routes());
        assertDataFlowsBothWays(rig);
    }

    /** A SYN with MSS 1460 (TCP flags {@code flags}), checksums valid. */
    private static byte[] syn(int flags) {
        return TestPackets.ipv4Tcp(TestPackets.tcp(flags, TestPackets.hex("020405b401010402")));
    }

    @Test
    void pushedMssfixClampsSynsBothWays() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM,mssfix 1300 fixed", Derivation.FOLLOW_PUSH);
        rig.clientTun(syn(0x02));
        rig.serverTun(syn(0x12));

        byte[] out = rig.scripted().received().getFirst();
        byte[] in = rig.io.tunWrites.getFirst();
        assertEquals(1260, TestPackets.u16(out, 40 + 2), "SYN leaving the client");
        assertEquals(1260, TestPackets.u16(in, 40 + 2), "SYN-ACK arriving from the server");
        assertEquals(0, TestPackets.tcpChecksum4(out, 0));
        assertEquals(0, TestPackets.tcpChecksum4(in, 0));
    }

    @Test
    void withoutMssfixNothingIsClamped() {
        SessionRig rig = connectWith(BASE + ",peer-id 0,cipher AES-256-GCM", Derivation.FOLLOW_PUSH);
        rig.clientTun(syn(0x02));

        assertArrayEquals(syn(0x02), rig.scripted().received().getFirst(), "the rig's profile says mssfix 0");
    }
}
