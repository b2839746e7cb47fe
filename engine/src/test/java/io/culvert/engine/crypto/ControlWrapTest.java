package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.ManualClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ControlWrapTest {
    private static final long T0 = 0x5f000000L;
    /** HARD_RESET_CLIENT_V2, key_id 0, sid 0102030405060708, 0 ACKs, msg id 0. */
    private static final byte[] RESET = hex("38 0102030405060708 00 00000000");
    private static final StaticKey SK = new StaticKey(Vectors.sk());

    private static final String X2 = "3801020304050607084869d0695aac4b00a803c69700615f34b6fb8197000000015f0000000000000000";
    private static final String X3 = "380102030405060708000000015f00000071b005b7d18af15de9953fecfd59401dc95fa401e71fcbe36fc6de6c5e29b60ad2b5aa44d2";

    private final ManualClock clock = ManualClock.at(Instant.ofEpochSecond(T0));

    private ControlWrap tlsAuth(KeyDirection dir) {
        return ControlWrapSpec.tlsAuth(SK, dir, "SHA1").newSession(dir == KeyDirection.NORMAL, clock);
    }

    private ControlWrap tlsCrypt(boolean isServer) {
        return ControlWrapSpec.tlsCrypt(SK).newSession(isServer, clock);
    }

    @Test
    void tlsAuthClientResetMatchesX2() {
        byte[] wire = tlsAuth(KeyDirection.INVERSE).wrap(RESET);
        assertEquals(X2, hex(wire));
    }

    @Test
    void tlsAuthServerVerifiesX2AndReturnsPlainLayout() {
        Decoded<byte[]> d = tlsAuth(KeyDirection.NORMAL).unwrap(hex(X2));
        assertTrue(d.isOk());
        assertArrayEquals(RESET, d.value());
    }

    @Test
    void tlsAuthWithWrongDirectionRejectsX2() {
        assertEquals(DropReason.CONTROL_AUTH_FAILED, tlsAuth(KeyDirection.INVERSE).unwrap(hex(X2)).reason());
    }

    @Test
    void tlsCryptClientResetMatchesX3() {
        assertEquals(X3, hex(tlsCrypt(false).wrap(RESET)));
    }

    @Test
    void tlsCryptServerUnwrapsX3() {
        Decoded<byte[]> d = tlsCrypt(true).unwrap(hex(X3));
        assertArrayEquals(RESET, d.value());
        assertEquals(DropReason.CONTROL_AUTH_FAILED, tlsCrypt(false).unwrap(hex(X3)).reason());
    }

    @Test
    void replayIdsCountUpFromOneAndKeepFirstTimestamp() {
        ControlWrap client = tlsCrypt(false);
        client.wrap(RESET);
        clock.advanceSeconds(30);
        byte[] second = client.wrap(RESET);
        assertEquals("00000002" + "5f000000", hex(Arrays.copyOfRange(second, 9, 17)));
    }

    @Test
    void overheadIsTheLengthDifference() {
        assertEquals(28, tlsAuth(KeyDirection.INVERSE).overhead());
        assertEquals(40, tlsCrypt(false).overhead());
        assertEquals(0, ControlWrapSpec.none().newSession(false, clock).overhead());
        assertEquals(RESET.length + 40, ControlWrapSpec.tlsAuth(SK, KeyDirection.NORMAL, "sha256")
                .newSession(true, clock).wrap(RESET).length);
        assertEquals(RESET.length + 72, ControlWrapSpec.tlsAuth(SK, KeyDirection.NORMAL, "SHA512")
                .newSession(true, clock).wrap(RESET).length);
    }

    @Test
    void roundTripsEveryWrapWithPayload() {
        byte[] plain = hex("20 0102030405060708 02 00000001 00000002 a1a2a3a4a5a6a7a8 00000007 160303000401020304");
        for (ControlWrapSpec spec : specs()) {
            ControlWrap client = clientOf(spec);
            ControlWrap server = serverOf(spec);
            for (int i = 0; i < 5; i++) {
                byte[] wire = client.wrap(plain);
                assertEquals(plain.length + client.overhead(), wire.length, spec.toString());
                assertArrayEquals(plain, server.unwrap(wire).value(), spec.toString());
                assertArrayEquals(plain, client.unwrap(server.wrap(plain)).value(), spec.toString());
            }
        }
    }

    @Test
    void tamperedByteIsRejectedAsAuthFailure() {
        for (ControlWrapSpec spec : List.of(ControlWrapSpec.tlsAuth(SK, KeyDirection.INVERSE, "SHA1"), ControlWrapSpec.tlsCrypt(SK))) {
            ControlWrap client = clientOf(spec);
            byte[] wire = client.wrap(RESET);
            for (int i = 0; i < wire.length; i++) {
                byte[] bad = wire.clone();
                bad[i] ^= 0x01;
                assertEquals(DropReason.CONTROL_AUTH_FAILED, serverOf(spec).unwrap(bad).reason(), spec + " byte " + i);
            }
        }
    }

    @Test
    void replayedPacketIsRejected() {
        for (ControlWrapSpec spec : List.of(ControlWrapSpec.tlsAuth(SK, KeyDirection.INVERSE, "SHA1"), ControlWrapSpec.tlsCrypt(SK))) {
            ControlWrap client = clientOf(spec);
            ControlWrap server = serverOf(spec);
            byte[] first = client.wrap(RESET);
            byte[] second = client.wrap(RESET);
            assertTrue(server.unwrap(second).isOk());
            assertTrue(server.unwrap(first).isOk(), "reordered within window");
            assertEquals(DropReason.REPLAY, server.unwrap(first).reason());
            assertEquals(DropReason.REPLAY, server.unwrap(second).reason());
        }
    }

    @Test
    void unwrapWithoutReplayCheckLeavesWindowUntouched() {
        ControlWrap server = tlsCrypt(true);
        byte[] x3 = hex(X3);
        assertTrue(server.unwrapWithoutReplayCheck(x3, 0, x3.length).isOk());
        assertTrue(server.unwrapWithoutReplayCheck(x3, 0, x3.length).isOk());
        assertTrue(server.unwrap(x3).isOk());
        assertEquals(DropReason.REPLAY, server.unwrap(x3).reason());
        assertTrue(server.unwrapWithoutReplayCheck(x3, 0, x3.length).isOk());
    }

    @Test
    void olderTimestampIsRejectedAfterNewerOne() {
        ControlWrap server = tlsCrypt(true);
        ControlWrap oldClient = tlsCrypt(false);
        byte[] old = oldClient.wrap(RESET);
        clock.advanceSeconds(5);
        ControlWrap newClient = tlsCrypt(false);
        assertTrue(server.unwrap(newClient.wrap(RESET)).isOk());
        assertEquals(DropReason.REPLAY, server.unwrap(old).reason());
    }

    @Test
    void truncatedPacketsAreReportedAsTruncated() {
        byte[] x2 = hex(X2);
        byte[] x3 = hex(X3);
        assertEquals(DropReason.TRUNCATED, tlsAuth(KeyDirection.NORMAL).unwrap(x2, 0, 36).reason());
        assertEquals(DropReason.TRUNCATED, tlsCrypt(true).unwrap(x3, 0, 48).reason());
        assertEquals(DropReason.TRUNCATED, ControlWrapSpec.none().newSession(true, clock).unwrap(x3, 0, 8).reason());
        assertEquals(DropReason.TRUNCATED, tlsCrypt(true).unwrap(new byte[0]).reason());
    }

    @Test
    void unwrapHonoursOffsetAndLength() {
        byte[] x3 = hex(X3);
        byte[] framed = new byte[x3.length + 7];
        System.arraycopy(x3, 0, framed, 3, x3.length);
        assertArrayEquals(RESET, tlsCrypt(true).unwrap(framed, 3, x3.length).value());
    }

    @Test
    void noneWrapIsIdentity() {
        ControlWrap none = ControlWrapSpec.none().newSession(false, clock);
        assertArrayEquals(RESET, none.wrap(RESET));
        assertArrayEquals(RESET, none.unwrap(RESET).value());
    }

    @Test
    void rejectsUnknownOrNoneDigestForTlsAuth() {
        assertThrows(IllegalArgumentException.class, () -> ControlWrapSpec.tlsAuth(SK, KeyDirection.NORMAL, "MD4"));
        assertThrows(IllegalArgumentException.class, () -> ControlWrapSpec.tlsAuth(SK, KeyDirection.NORMAL, "none"));
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random rnd = new Random(42);
        byte[] valid = tlsCrypt(false).wrap(hex("20 0102030405060708 00 00000001 1603030004deadbeef"));
        for (ControlWrapSpec spec : specs()) {
            ControlWrap server = serverOf(spec);
            for (int i = 0; i < 3000; i++) {
                byte[] input;
                if (i % 2 == 0) {
                    input = new byte[rnd.nextInt(120)];
                    rnd.nextBytes(input);
                } else {
                    input = Arrays.copyOf(valid, 1 + rnd.nextInt(valid.length + 10));
                    input[rnd.nextInt(input.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                Decoded<byte[]> d = server.unwrap(input);
                if (!(spec instanceof ControlWrapSpec.None)) {
                    assertFalse(d.isOk(), "forged packet accepted");
                }
            }
        }
    }

    private static List<ControlWrapSpec> specs() {
        return List.of(ControlWrapSpec.none(), ControlWrapSpec.tlsAuth(SK, KeyDirection.INVERSE, "SHA1"),
                ControlWrapSpec.tlsAuth(SK, KeyDirection.BIDIRECTIONAL, "SHA512"), ControlWrapSpec.tlsCrypt(SK));
    }

    /** For tls-auth the client gets the configured direction, the server the complementary one. */
    private ControlWrap clientOf(ControlWrapSpec spec) {
        return spec.newSession(false, clock);
    }

    private ControlWrap serverOf(ControlWrapSpec spec) {
        if (spec instanceof ControlWrapSpec.TlsAuth a && a.direction() != KeyDirection.BIDIRECTIONAL) {
            KeyDirection other = a.direction() == KeyDirection.NORMAL ? KeyDirection.INVERSE : KeyDirection.NORMAL;
            return new ControlWrapSpec.TlsAuth(a.key(), other, a.digest()).newSession(true, clock);
        }
        return spec.newSession(true, clock);
    }
}
