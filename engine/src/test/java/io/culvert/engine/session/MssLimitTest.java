package io.culvert.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.AuthDigest;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.protocol.CompressionFraming;
import org.junit.jupiter.api.Test;

/**
 * The MSS OpenVPN 2.6 clamps to ({@code frame_calculate_mssfix}), worked out by hand from the wire format for each
 * case: the outer packet of a full-size segment must come to exactly the mssfix size, never more.
 */
class MssLimitTest {
    private static final Mssfix DEFAULT = Mssfix.effective(null, 1500);
    private static final MssLimit.Link UDP4 = new MssLimit.Link(false, false, true, false);

    private static int aead(Mssfix m, MssLimit.Link link) {
        return MssLimit.ipv4Mss(m, DataCipher.AES_256_GCM, AuthDigest.SHA1, CompressionFraming.NONE, link);
    }

    @Test
    void defaultAeadOverUdp4FillsExactly1492BytesOnTheWire() {
        int mss = aead(DEFAULT, UDP4);
        // outer IPv4 20 + UDP 8 + opcode/peer-id 4 + packet id 4 + inner IPv4 20 + TCP 20 + MSS + tag 16
        assertEquals(1492, 20 + 8 + 4 + 4 + 20 + 20 + mss + 16);
        assertEquals(1400, mss);
    }

    @Test
    void epochFormatsEightBytePacketIdCostsFourMore() {
        int mss = MssLimit.ipv4Mss(DEFAULT, DataCipher.AES_256_GCM, AuthDigest.SHA1, CompressionFraming.NONE, UDP4, true);
        // as above with 2.7's 8-byte packet id (16-bit epoch, 48-bit counter); the tag moved to the end, same size
        assertEquals(1492, 20 + 8 + 4 + 8 + 20 + 20 + mss + 16);
        assertEquals(1396, mss);
    }

    @Test
    void outerIpv6CostsTwentyMore() {
        assertEquals(1380, aead(DEFAULT, new MssLimit.Link(false, true, true, false)));
    }

    @Test
    void tcpTransportCountsItsHeaderAndLengthPrefix() {
        // outer TCP header 20 instead of UDP 8, plus the 2-byte packet length
        assertEquals(1400 - 12 - 2, aead(DEFAULT, new MssLimit.Link(true, false, true, false)));
    }

    @Test
    void withoutPeerIdTheOpcodeIsOneByte() {
        assertEquals(1403, aead(DEFAULT, new MssLimit.Link(false, false, false, false)));
    }

    @Test
    void tapCountsTapMtuExtra() {
        assertEquals(1368, aead(DEFAULT, new MssLimit.Link(false, false, true, true)));
    }

    @Test
    void v1CompressionFramingCostsAByteV2None() {
        assertEquals(1399, MssLimit.ipv4Mss(DEFAULT, DataCipher.AES_256_GCM, AuthDigest.SHA1, CompressionFraming.LZO_STUB, UDP4));
        assertEquals(1400, MssLimit.ipv4Mss(DEFAULT, DataCipher.AES_256_GCM, AuthDigest.SHA1, CompressionFraming.V2_STUB, UDP4));
    }

    @Test
    void cbcRoundsTheCiphertextDownToWholeBlocks() {
        int mss = MssLimit.ipv4Mss(DEFAULT, DataCipher.AES_256_CBC, AuthDigest.SHA256, CompressionFraming.NONE, UDP4);
        // plaintext = packet id 4 + inner 40 + MSS, padded to whole 16-byte blocks (at least one pad byte)
        java.util.function.IntUnaryOperator wire = m -> 20 + 8 + 4 + 32 + 16 + ((4 + 40 + m) / 16 + 1) * 16;
        assertTrue(wire.applyAsInt(mss) <= 1492, "outer IPv4+UDP, opcode/peer-id, HMAC, IV, ciphertext fit");
        assertTrue(wire.applyAsInt(mss + 1) > 1492, "one byte more needs another block that does not fit");
        assertEquals(1363, mss);
        assertEquals(1379, MssLimit.ipv4Mss(DEFAULT, DataCipher.AES_256_CBC, AuthDigest.SHA1, CompressionFraming.NONE, UDP4));
    }

    @Test
    void plainMssfixLeavesOutTheOuterHeaders() {
        assertEquals(1336, aead(Mssfix.of(1400, null), UDP4));
        assertEquals(1336 - 28, aead(Mssfix.of(1400, "mtu"), UDP4));
    }

    @Test
    void fixedAndNonDefaultTunMtuClampToTheInnerPacket() {
        assertEquals(1260, aead(Mssfix.of(1300, "fixed"), UDP4));
        assertEquals(1360, aead(Mssfix.effective(null, 1400), UDP4), "tun-mtu 1400 without mssfix: mssfix 1400 fixed");
    }

    @Test
    void zeroTurnsItOff() {
        assertEquals(0, aead(Mssfix.of(0, null), UDP4));
    }
}
