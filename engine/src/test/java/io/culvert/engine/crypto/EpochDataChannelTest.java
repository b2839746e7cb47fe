package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.P;
import static io.culvert.engine.crypto.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.ManualClock;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The epoch data format through {@link DataChannel}: a packet checked against one built step by step with the JDK
 * from 2.7's description, switchover at a lowered usage limit in both directions, the receive window of epochs, and
 * replay protection over 48-bit counters.
 */
class EpochDataChannelTest {
    private static final int PEER_ID = 5;
    private final ManualClock clock = ManualClock.at(Instant.ofEpochSecond(1_000_000));

    private DataChannel channel(DataCipher cipher, boolean server, long usageLimit) {
        return DataChannel.createEpoch(cipher, Vectors.sk(), server, ReplayWindow.defaults(clock), usageLimit);
    }

    private static byte[] payload(int len) {
        byte[] p = new byte[len];
        Arrays.fill(p, (byte) 0x5a);
        return p;
    }

    private static int epochOf(byte[] wire) {
        return (wire[4] & 0xff) << 8 | (wire[5] & 0xff);
    }

    private static long counterOf(byte[] wire) {
        return ByteBuffer.wrap(wire, 4, 8).getLong() & 0xFFFF_FFFF_FFFFL;
    }

    @Test
    void firstPacketMatchesOneBuiltFromTheDescription() throws GeneralSecurityException {
        byte[] wire = channel(DataCipher.AES_256_GCM, false, 0).encrypt(0, PEER_ID, P, 0, P.length);

        // The client sends with E1 = the first 32 bytes of key2's key 0 cipher slot (bytes 0x00..0x1f of SK).
        byte[] e1 = Vectors.range(0x00, 0x1f);
        byte[] key = EpochKeysTest.jdkExpandLabel(e1, "data_key", 32);
        byte[] iv = EpochKeysTest.jdkExpandLabel(e1, "data_iv", 12);
        byte[] header = hex("48000005");
        byte[] pid = hex("0001000000000001"); // epoch 1, counter 1
        byte[] nonce = iv.clone();
        for (int i = 0; i < 8; i++) {
            nonce[i] ^= pid[i];
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(header);
        gcm.updateAAD(pid);
        byte[] ctAndTag = gcm.doFinal(P);

        assertEquals(hex(header) + hex(pid) + hex(ctAndTag), hex(wire));
        assertEquals(4 + 8 + P.length + 16, wire.length);
        assertArrayEquals(P, channel(DataCipher.AES_256_GCM, true, 0).decrypt(wire, 0, wire.length).value());
    }

    @Test
    void chachaAndAes128RoundTripBothWays() {
        for (DataCipher c : List.of(DataCipher.CHACHA20_POLY1305, DataCipher.AES_128_GCM, DataCipher.AES_192_GCM)) {
            DataChannel client = channel(c, false, 0);
            DataChannel server = channel(c, true, 0);
            byte[] up = client.encrypt(1, PEER_ID, P, 0, P.length);
            byte[] down = server.encrypt(1, -1, P, 0, P.length);
            assertArrayEquals(P, server.decrypt(up, 0, up.length).value(), c.openvpnName());
            assertArrayEquals(P, client.decrypt(down, 0, down.length).value(), c.openvpnName());
            assertEquals(1 + 8 + P.length + 16, down.length);
        }
    }

    @Test
    void tamperedPacketsAndTheWrongDirectionFail() {
        DataChannel client = channel(DataCipher.AES_256_GCM, false, 0);
        DataChannel server = channel(DataCipher.AES_256_GCM, true, 0);
        byte[] wire = client.encrypt(0, PEER_ID, P, 0, P.length);
        for (int i : new int[] {1, 5, 11, 12, wire.length - 1}) {
            byte[] bad = wire.clone();
            bad[i] ^= 1;
            assertFalse(server.decrypt(bad, 0, bad.length).isOk(), "flipped byte " + i);
        }
        assertEquals(DropReason.DECRYPT_FAILED, client.decrypt(wire, 0, wire.length).reason());
        byte[] epochZero = wire.clone();
        epochZero[4] = 0;
        epochZero[5] = 0;
        assertEquals(DropReason.MALFORMED, server.decrypt(epochZero, 0, epochZero.length).reason());
        assertEquals(DropReason.TRUNCATED, server.decrypt(wire, 0, 4 + 8 + 16).reason());
        assertArrayEquals(P, server.decrypt(wire, 0, wire.length).value());
    }

    @Test
    void replayIsCheckedOver48BitCountersPerEpoch() {
        DataChannel client = channel(DataCipher.AES_256_GCM, false, 0);
        DataChannel server = channel(DataCipher.AES_256_GCM, true, 0);
        client.setLastSentPacketIdForTesting(0x1_0000_0000L); // past what a 32-bit id could carry
        byte[] a = client.encrypt(0, PEER_ID, P, 0, P.length);
        byte[] b = client.encrypt(0, PEER_ID, P, 0, P.length);
        byte[] c = client.encrypt(0, PEER_ID, P, 0, P.length);
        assertEquals(0x1_0000_0001L, counterOf(a));
        assertEquals(1, epochOf(a));
        assertTrue(server.decrypt(c, 0, c.length).isOk());
        assertTrue(server.decrypt(a, 0, a.length).isOk(), "older id inside the window");
        assertEquals(DropReason.REPLAY, server.decrypt(a, 0, a.length).reason());
        assertEquals(DropReason.REPLAY, server.decrypt(c, 0, c.length).reason());
        assertTrue(server.decrypt(b, 0, b.length).isOk());
        assertEquals(DropReason.REPLAY, server.decrypt(b, 0, b.length).reason());
    }

    @Test
    void exhaustedCounterMovesToTheNextEpochWithoutALimit() {
        DataChannel client = channel(DataCipher.CHACHA20_POLY1305, false, 0);
        DataChannel server = channel(DataCipher.CHACHA20_POLY1305, true, 0);
        client.setLastSentPacketIdForTesting(EpochCrypto.MAX_COUNTER - 1);
        byte[] last = client.encrypt(0, PEER_ID, P, 0, P.length);
        byte[] next = client.encrypt(0, PEER_ID, P, 0, P.length);
        assertEquals(EpochCrypto.MAX_COUNTER, counterOf(last));
        assertEquals(2, epochOf(next));
        assertEquals(1, counterOf(next));
        assertTrue(server.decrypt(last, 0, last.length).isOk());
        assertTrue(server.decrypt(next, 0, next.length).isOk());
    }

    @Test
    void lowUsageLimitSwitchesEpochsAndThePeerFollows() {
        long limit = 100; // 160-byte payloads: 11 blocks + 1 packet each, so a new epoch every 9 packets
        DataChannel client = channel(DataCipher.AES_256_GCM, false, limit);
        DataChannel server = channel(DataCipher.AES_256_GCM, true, 0);
        byte[] p = payload(160);
        List<Integer> epochs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] wire = client.encrypt(0, PEER_ID, p, 0, p.length);
            epochs.add(epochOf(wire));
            Decoded<byte[]> opened = server.decrypt(wire, 0, wire.length);
            assertTrue(opened.isOk(), () -> "packet in epoch " + epochOf(wire) + ": " + opened.reason());
            assertArrayEquals(p, opened.value());
        }
        assertEquals(1, epochs.getFirst());
        assertEquals(9, epochs.stream().filter(e -> e == 1).count());
        assertEquals(6, client.sendEpoch());
        assertEquals(client.sendEpoch(), epochs.getLast());
        // The server moved its receive key along and now sends on at least the client's epoch; the client accepts it.
        byte[] back = server.encrypt(0, PEER_ID, P, 0, P.length);
        assertEquals(6, epochOf(back));
        assertEquals(1, counterOf(back));
        assertArrayEquals(P, client.decrypt(back, 0, back.length).value());
    }

    @Test
    void receiverPastTheLimitPushesItsOwnSendEpochForward() {
        DataChannel client = channel(DataCipher.AES_256_GCM, false, 0);
        DataChannel server = channel(DataCipher.AES_256_GCM, true, 100);
        byte[] p = payload(160);
        for (int i = 0; i < 10; i++) {
            byte[] wire = client.encrypt(0, PEER_ID, p, 0, p.length);
            assertTrue(server.decrypt(wire, 0, wire.length).isOk());
        }
        assertEquals(1, client.sendEpoch(), "the unlimited client stays on epoch 1");
        byte[] back = server.encrypt(0, PEER_ID, P, 0, P.length);
        assertEquals(2, epochOf(back), "the server asks the client to move on by sending on the next epoch");
        assertTrue(client.decrypt(back, 0, back.length).isOk());
        byte[] reply = client.encrypt(0, PEER_ID, P, 0, P.length);
        assertEquals(2, epochOf(reply), "the client follows");
        assertEquals(2, client.sendEpoch());
    }

    @Test
    void receiverAcceptsTheRetiringAndTheNextSixteenEpochsOnly() {
        DataChannel client = channel(DataCipher.AES_256_GCM, false, 30); // 160-byte payloads: 3 packets per epoch
        DataChannel server = channel(DataCipher.AES_256_GCM, true, 0);
        byte[] p = payload(160);
        List<List<byte[]>> byEpoch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] wire = client.encrypt(0, PEER_ID, p, 0, p.length);
            while (byEpoch.size() <= epochOf(wire)) {
                byEpoch.add(new ArrayList<>());
            }
            byEpoch.get(epochOf(wire)).add(wire);
        }
        assertEquals(3, byEpoch.get(1).size());
        byte[] e18 = byEpoch.get(18).getFirst();
        byte[] e17 = byEpoch.get(17).getFirst();
        assertEquals(DropReason.NO_KEY, server.decrypt(e18, 0, e18.length).reason(), "epoch 18 is 17 ahead of epoch 1");
        assertTrue(server.decrypt(e17, 0, e17.length).isOk(), "epoch 17 is the 16th ahead");
        assertTrue(server.decrypt(e18, 0, e18.length).isOk(), "now inside the window");
        byte[] e1 = byEpoch.get(1).getFirst();
        assertEquals(DropReason.NO_KEY, server.decrypt(e1, 0, e1.length).reason(), "epoch 1 is neither current nor retiring");
        assertEquals(DropReason.REPLAY, server.decrypt(e17, 0, e17.length).reason(), "the retiring epoch keeps its window");
        byte[] e17b = byEpoch.get(17).get(1);
        assertTrue(server.decrypt(e17b, 0, e17b.length).isOk(), "late packets of the retiring epoch still count");
        byte[] e35 = byEpoch.get(19).getFirst();
        assertTrue(server.decrypt(e35, 0, e35.length).isOk());
        assertEquals(DropReason.NO_KEY, server.decrypt(e17b, 0, e17b.length).reason(), "two epochs back: retired");
    }

    @Test
    void epochFormatNeedsAnAeadCipher() {
        assertThrows(IllegalArgumentException.class, () -> channel(DataCipher.AES_256_CBC, false, 0));
        assertNotEquals(0, DataCipher.AES_256_GCM.usageLimit());
        assertEquals(0, DataCipher.CHACHA20_POLY1305.usageLimit());
    }

    @Test
    void classicAeadKeyPastTheUsageLimitAsksForNewKeys() {
        DataChannel client = DataChannel.create(DataCipher.AES_256_GCM, "SHA1", Vectors.sk(), false,
                ReplayWindow.defaults(clock), 100);
        DataChannel server = DataChannel.create(DataCipher.AES_256_GCM, "SHA1", Vectors.sk(), true,
                ReplayWindow.defaults(clock), 100);
        byte[] p = payload(160);
        // 160-byte payloads: the sender counts 11 blocks + 1 packet each, the receiver 10 + 1.
        for (int i = 0; i < 8; i++) {
            byte[] wire = client.encrypt(0, PEER_ID, p, 0, p.length);
            assertTrue(server.decrypt(wire, 0, wire.length).isOk());
        }
        assertFalse(client.needsNewKeys());
        assertFalse(server.needsNewKeys());
        for (int i = 0; i < 2; i++) {
            byte[] wire = client.encrypt(0, PEER_ID, p, 0, p.length);
            assertTrue(server.decrypt(wire, 0, wire.length).isOk());
        }
        assertTrue(client.needsNewKeys(), "sender past 2.7's limit");
        assertTrue(server.needsNewKeys(), "receiver past 2.7's limit");
    }
}
