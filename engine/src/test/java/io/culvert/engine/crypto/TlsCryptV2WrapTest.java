package io.culvert.engine.crypto;

import static io.culvert.engine.crypto.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.testkit.ManualClock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TlsCryptV2WrapTest {
    private static final long T0 = 0x5f000000L;
    /** HARD_RESET_CLIENT_V3, key_id 0, sid 0102030405060708, 0 ACKs, msg id 0. */
    private static final byte[] RESET_V3 = hex("50 0102030405060708 00 00000000");
    /** P_CONTROL_WKC_V1 key 0 acking server msg 0 of sid 1112131415161718, msg id 1, payload "hi". */
    private static final byte[] WKC = hex("58 0102030405060708 01 00000000 1112131415161718 00000001 6869");

    private final ManualClock clock = ManualClock.at(Instant.ofEpochSecond(T0));
    private final TlsCryptV2ClientKey clientKey = TlsCryptV2KeyTest.client();
    private final ControlWrapSpec.TlsCryptV2Server serverSpec =
            (ControlWrapSpec.TlsCryptV2Server) ControlWrapSpec.tlsCryptV2Server(TlsCryptV2KeyTest.server(), 0);

    private ControlWrap client() {
        return ControlWrapSpec.tlsCryptV2Client(clientKey).newSession(false, clock);
    }

    @Test
    void resetCarriesEarlyNegotiationIdAndTheWkcInTheClear() {
        byte[] wire = client().wrap(RESET_V3);
        assertEquals(RESET_V3.length + 40 + 299, wire.length);
        assertEquals("0f000001" + "5f000000", hex(Arrays.copyOfRange(wire, 9, 17)));
        assertArrayEquals(clientKey.wkc(), Arrays.copyOfRange(wire, wire.length - 299, wire.length));
    }

    @Test
    void resetMatchesPlainTlsCryptWithKcFollowedByTheWkc() {
        byte[] wire = client().wrap(RESET_V3);
        ControlWrap v1 = new TlsCryptWrap(clientKey.key(), KeyDirection.INVERSE,
                new ReplayIds(clock, 0x0F000000L), new ReplayWindow(64, 15, clock));
        assertArrayEquals(v1.wrap(RESET_V3), Arrays.copyOf(wire, wire.length - 299));
    }

    @Test
    void serverUnwrapsV3AsAV2ResetAndThenUsesKc() {
        ControlWrap c = client();
        ControlWrap s = serverSpec.newSession(true, clock);
        Decoded<byte[]> reset = s.unwrap(c.wrap(RESET_V3));
        assertTrue(reset.isOk(), () -> "dropped " + reset.reason());
        assertEquals("38", hex(Arrays.copyOf(reset.value(), 1)), "V3 comes out as HARD_RESET_CLIENT_V2");
        assertArrayEquals(Arrays.copyOfRange(RESET_V3, 1, RESET_V3.length), Arrays.copyOfRange(reset.value(), 1, RESET_V3.length));

        byte[] reply = hex("40 1112131415161718 01 00000000 0102030405060708 00000001 00");
        Decoded<byte[]> back = c.unwrap(s.wrap(reply));
        assertArrayEquals(reply, back.value(), "the client reads the server's Kc-wrapped packet");

        byte[] control = hex("20 0102030405060708 00 00000002 6869");
        assertArrayEquals(control, s.unwrap(c.wrap(control)).value(), "no WKc needed once keyed");
        Decoded<byte[]> wkc = s.unwrap(c.wrap(WKC));
        assertTrue(wkc.isOk());
        assertEquals("20", hex(Arrays.copyOf(wkc.value(), 1)), "WKC_V1 comes out as P_CONTROL_V1");
    }

    @Test
    void serverWithoutAWkcHasNoKey() {
        byte[] control = hex("20 0102030405060708 00 00000002 6869");
        assertEquals(DropReason.NO_KEY, serverSpec.newSession(true, clock).unwrap(client().wrap(control)).reason());
    }

    @Test
    void wkcFromAnotherServerKeyIsRefused() {
        ControlWrap s = ControlWrapSpec.tlsCryptV2Server(TlsCryptV2ServerKey.parse(TlsCryptV2KeyTest.resource("srv2.key")), 0)
                .newSession(true, clock);
        assertEquals(DropReason.CONTROL_AUTH_FAILED, s.unwrap(client().wrap(RESET_V3)).reason());
    }

    @Test
    void maxAgeRefusesOldKeys() {
        clock.set(Instant.ofEpochSecond(1_795_315_798L + 3 * 86_400L));
        ControlWrap young = ControlWrapSpec.tlsCryptV2Server(TlsCryptV2KeyTest.server(), 4).newSession(true, clock);
        ControlWrap old = ControlWrapSpec.tlsCryptV2Server(TlsCryptV2KeyTest.server(), 2).newSession(true, clock);
        assertTrue(young.unwrap(client().wrap(RESET_V3)).isOk());
        assertEquals(DropReason.CONTROL_AUTH_FAILED, old.unwrap(client().wrap(RESET_V3)).reason());
    }

    @Test
    void statelessWrapRekeysOnEveryWkcAndDropsEverythingElse() {
        ControlWrap stateless = serverSpec.newStateless(clock);
        ControlWrap c = client();
        assertTrue(stateless.unwrapWithoutReplayCheck(c.wrap(RESET_V3), 0, RESET_V3.length + 339).isOk());
        byte[] ack = hex("28 0102030405060708 01 00000000 1112131415161718");
        byte[] wrappedAck = c.wrap(ack);
        assertEquals(DropReason.NO_KEY, stateless.unwrapWithoutReplayCheck(wrappedAck, 0, wrappedAck.length).reason());
        byte[] w = c.wrap(WKC);
        assertTrue(stateless.unwrapWithoutReplayCheck(w, 0, w.length).isOk());
    }

    @Test
    void tamperedPacketPartOrTruncatedTrailerIsDropped() {
        byte[] wire = client().wrap(RESET_V3);
        byte[] tampered = wire.clone();
        tampered[20] ^= 1;
        assertEquals(DropReason.CONTROL_AUTH_FAILED, serverSpec.newSession(true, clock).unwrap(tampered).reason());
        byte[] bigLen = wire.clone();
        bigLen[bigLen.length - 2] = 0x03;
        assertEquals(DropReason.MALFORMED, serverSpec.newSession(true, clock).unwrap(bigLen).reason());
        byte[] cut = Arrays.copyOf(wire, 100);
        assertEquals(DropReason.MALFORMED, serverSpec.newSession(true, clock).unwrap(cut).reason());
    }

    @Test
    void randomV3AndWkcPacketsNeverThrowNorKey() {
        Random rnd = new Random(3);
        ControlWrap s = serverSpec.newStateless(clock);
        byte[] good = client().wrap(RESET_V3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = rnd.nextBoolean() ? good.clone() : new byte[rnd.nextInt(1200)];
            if (b != good && rnd.nextBoolean()) {
                rnd.nextBytes(b);
            }
            if (b.length > 0) {
                b[0] = (byte) ((rnd.nextBoolean() ? 10 : 11) << 3);
                b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            assertFalse(s.unwrapWithoutReplayCheck(b, 0, b.length).isOk());
        }
    }
}
