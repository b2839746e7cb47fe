package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.P;
import static io.culvert.engine.crypto.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.ManualClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataChannelTest {
    private static final String X4 = "48000005000000014cd093e233e29759e81baf8b539fa65a8ecb7ba16bb6e6c955bf5477b49e082233c539a3f8c965b2f34ce7b9";
    private static final String X4B = "4800000500000001f4fb4bfd60ffcb71120a81a2bc6489084b8432d8f3ac233ed3b7e7f38660fdebaadf55d4a30f529148836581";
    private static final String X5 = "3100000007116b571e0aa43e27af847001fb15056c39f7a54269a4878ab93ef0e7a027f5fc204f663f8748b11a658ac7f1";
    private static final String X6 = "307474cb491611299fe22149daec7b79cb6a8edb20f2dafca42f4745919130185da0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
            + "87cfc05db7fc26b06ffcc545b568f3a9cc865f99fffb72aabb276cf0936e913dd3af0f9b9074456e72b8bce26f37042b";

    private final ManualClock clock = ManualClock.at(Instant.ofEpochSecond(1_000_000));

    private DataChannel channel(DataCipher cipher, String auth, boolean isServer) {
        return DataChannel.create(cipher, auth, Vectors.sk(), isServer, clock);
    }

    @Test
    void aes256GcmV2MatchesX4AndServerDecryptsIt() {
        byte[] wire = channel(DataCipher.AES_256_GCM, "SHA1", false).encrypt(0, 5, P, 0, P.length);
        assertEquals(X4, hex(wire));
        assertArrayEquals(P, channel(DataCipher.AES_256_GCM, "SHA1", true).decrypt(wire, 0, wire.length).value());
    }

    @Test
    void chacha20Poly1305MatchesX4b() {
        byte[] wire = channel(DataCipher.CHACHA20_POLY1305, "SHA1", false).encrypt(0, 5, P, 0, P.length);
        assertEquals(X4B, hex(wire));
        assertArrayEquals(P, channel(DataCipher.CHACHA20_POLY1305, "SHA1", true).decrypt(wire, 0, wire.length).value());
    }

    @Test
    void aes128GcmV1FromServerMatchesX5() {
        DataChannel server = channel(DataCipher.AES_128_GCM, "SHA1", true);
        server.setLastSentPacketIdForTesting(6);
        byte[] wire = server.encrypt(1, -1, P, 0, P.length);
        assertEquals(X5, hex(wire));
        assertEquals(7, server.lastSentPacketId());
        assertArrayEquals(P, channel(DataCipher.AES_128_GCM, "SHA1", false).decrypt(wire, 0, wire.length).value());
    }

    @Test
    void aes256CbcSha256WithFixedIvMatchesX6() {
        DataChannel client = channel(DataCipher.AES_256_CBC, "SHA256", false);
        client.fixCbcIvForTesting(Vectors.range(0xa0, 0xaf));
        byte[] wire = client.encrypt(0, -1, P, 0, P.length);
        assertEquals(X6, hex(wire));
        assertArrayEquals(P, channel(DataCipher.AES_256_CBC, "SHA256", true).decrypt(wire, 0, wire.length).value());
    }

    @Test
    void v1OpcodeByteIsNotAuthenticatedButV2HeaderIs() {
        byte[] v1 = hex(X5);
        v1[0] = 0x30; // key_id 1 -> 0: AAD is the pid only
        assertTrue(channel(DataCipher.AES_128_GCM, "SHA1", false).decrypt(v1, 0, v1.length).isOk());
        byte[] v2 = hex(X4);
        v2[3] = 6; // peer-id 5 -> 6
        assertEquals(DropReason.DECRYPT_FAILED, channel(DataCipher.AES_256_GCM, "SHA1", true).decrypt(v2, 0, v2.length).reason());
    }

    @Test
    void cbcRandomIvsDifferAndRoundTrip() {
        DataChannel client = channel(DataCipher.AES_128_CBC, "SHA1", false);
        DataChannel server = channel(DataCipher.AES_128_CBC, "SHA1", true);
        byte[] a = client.encrypt(0, 3, P, 0, P.length);
        byte[] b = client.encrypt(0, 3, P, 0, P.length);
        assertNotEquals(hex(Arrays.copyOfRange(a, 24, 40)), hex(Arrays.copyOfRange(b, 24, 40)));
        assertArrayEquals(P, server.decrypt(b, 0, b.length).value());
        assertArrayEquals(P, server.decrypt(a, 0, a.length).value());
    }

    @Test
    void everyCipherRoundTripsBothWaysWithAllPayloadSizes() {
        for (DataCipher cipher : DataCipher.values()) {
            DataChannel client = channel(cipher, "SHA512", false);
            DataChannel server = channel(cipher, "SHA512", true);
            for (int len = 1; len <= 70; len++) {
                byte[] plain = new byte[len + 3];
                Arrays.fill(plain, (byte) len);
                byte[] up = client.encrypt(len % 8, len % 2 == 0 ? -1 : 77, plain, 3, len);
                assertArrayEquals(Arrays.copyOfRange(plain, 3, len + 3), server.decrypt(up, 0, up.length).value(), cipher + " " + len);
                byte[] down = server.encrypt(0, -1, plain, 0, len);
                assertArrayEquals(Arrays.copyOf(plain, len), client.decrypt(down, 0, down.length).value(), cipher + " " + len);
            }
            assertEquals(70, client.lastSentPacketId());
        }
    }

    @Test
    void ownPacketsAreNotAcceptedBack() {
        DataChannel client = channel(DataCipher.AES_256_GCM, "SHA1", false);
        byte[] wire = client.encrypt(0, 0, P, 0, P.length);
        assertEquals(DropReason.DECRYPT_FAILED, client.decrypt(wire, 0, wire.length).reason());
    }

    @Test
    void replayedPacketIsDroppedAfterAuthentication() {
        for (DataCipher cipher : DataCipher.values()) {
            DataChannel client = channel(cipher, "SHA1", false);
            DataChannel server = channel(cipher, "SHA1", true);
            byte[] one = client.encrypt(0, 0, P, 0, P.length);
            byte[] two = client.encrypt(0, 0, P, 0, P.length);
            assertTrue(server.decrypt(two, 0, two.length).isOk());
            assertTrue(server.decrypt(one, 0, one.length).isOk());
            assertEquals(DropReason.REPLAY, server.decrypt(one, 0, one.length).reason(), cipher.name());
            assertEquals(DropReason.REPLAY, server.decrypt(two, 0, two.length).reason(), cipher.name());
        }
    }

    @Test
    void tamperedBytesFailAuthentication() {
        byte[] x4 = hex(X4);
        for (int i = 4; i < x4.length; i++) {
            byte[] bad = x4.clone();
            bad[i] ^= 0x40;
            assertEquals(DropReason.DECRYPT_FAILED,
                    channel(DataCipher.AES_256_GCM, "SHA1", true).decrypt(bad, 0, bad.length).reason(), "byte " + i);
        }
        byte[] x6 = hex(X6);
        for (int i = 1; i < x6.length; i++) {
            byte[] bad = x6.clone();
            bad[i] ^= 0x40;
            assertEquals(DropReason.DECRYPT_FAILED,
                    channel(DataCipher.AES_256_CBC, "SHA256", true).decrypt(bad, 0, bad.length).reason(), "byte " + i);
        }
    }

    @Test
    void shortAndForeignPacketsAreDroppedWithReasons() {
        DataChannel server = channel(DataCipher.AES_256_GCM, "SHA1", true);
        byte[] x4 = hex(X4);
        assertEquals(DropReason.TRUNCATED, server.decrypt(x4, 0, 0).reason());
        assertEquals(DropReason.TRUNCATED, server.decrypt(x4, 0, 24).reason(), "no payload");
        assertEquals(DropReason.TRUNCATED, server.decrypt(x4, 0, 6).reason());
        assertEquals(DropReason.BAD_OPCODE, server.decrypt(hex("20000000000000010203"), 0, 10).reason());
        DataChannel cbc = channel(DataCipher.AES_256_CBC, "SHA256", true);
        byte[] x6 = hex(X6);
        assertEquals(DropReason.TRUNCATED, cbc.decrypt(x6, 0, 60).reason());
        assertEquals(DropReason.MALFORMED, cbc.decrypt(x6, 0, 90).reason());
    }

    @Test
    void refusesToSendAfterPacketIdRollover() {
        DataChannel client = channel(DataCipher.AES_256_GCM, "SHA1", false);
        client.setLastSentPacketIdForTesting(0xFFFFFFFEL);
        byte[] last = client.encrypt(0, 0, P, 0, P.length);
        assertEquals("ffffffff", hex(Arrays.copyOfRange(last, 4, 8)));
        assertTrue(client.nearPacketIdWrap());
        assertNull(client.encrypt(0, 0, P, 0, P.length));
    }

    @Test
    void rejectsBadKeysAndArguments() {
        byte[] zeroCipher = Vectors.sk();
        Arrays.fill(zeroCipher, 128, 160, (byte) 0);
        assertThrows(IllegalArgumentException.class,
                () -> DataChannel.create(DataCipher.AES_256_GCM, "SHA1", zeroCipher, false, clock));
        assertThrows(IllegalArgumentException.class,
                () -> DataChannel.create(DataCipher.AES_256_GCM, "SHA1", new byte[128], false, clock));
        assertThrows(IllegalArgumentException.class,
                () -> DataChannel.create(DataCipher.AES_256_CBC, "MD4", Vectors.sk(), false, clock));
        DataChannel c = channel(DataCipher.AES_256_GCM, "SHA1", false);
        assertThrows(IllegalArgumentException.class, () -> c.encrypt(8, 0, P, 0, P.length));
        assertThrows(IllegalArgumentException.class, () -> c.encrypt(0, 0x1000000, P, 0, P.length));
        assertThrows(IllegalArgumentException.class, () -> c.encrypt(0, 0, P, 0, 0));
    }

    @Test
    void randomAndMutatedPacketsNeverThrowAndNeverAuthenticate() {
        Random rnd = new Random(7);
        for (DataCipher cipher : DataCipher.values()) {
            DataChannel client = channel(cipher, "SHA256", false);
            DataChannel server = channel(cipher, "SHA256", true);
            byte[] valid = client.encrypt(0, 1, P, 0, P.length);
            for (int i = 0; i < 1500; i++) {
                byte[] input;
                if (i % 2 == 0) {
                    input = new byte[rnd.nextInt(150)];
                    rnd.nextBytes(input);
                    if (input.length > 0 && rnd.nextBoolean()) {
                        input[0] = (byte) (rnd.nextBoolean() ? 0x30 : 0x48);
                    }
                } else {
                    // Only the authenticated part (after the 4-byte V2 header) is mutated: CBC does not cover the header.
                    input = Arrays.copyOf(valid, 5 + rnd.nextInt(valid.length + 16));
                    input[4 + rnd.nextInt(input.length - 4)] ^= (byte) (1 + rnd.nextInt(255));
                }
                Decoded<byte[]> d = server.decrypt(input, 0, input.length);
                assertFalse(d.isOk(), cipher + " accepted a forged packet");
            }
            assertTrue(server.decrypt(valid, 0, valid.length).isOk(), "still works after the fuzzing");
        }
    }
}
