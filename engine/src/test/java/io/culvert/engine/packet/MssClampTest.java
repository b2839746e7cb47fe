package io.culvert.engine.packet;

import io.culvert.engine.tun.TestPackets;
import io.culvert.engine.packet.MssClamp;
import static io.culvert.engine.tun.TestPackets.hex;
import static io.culvert.engine.tun.TestPackets.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MssClampTest {
    private static final int SYN = 0x02;
    private static final int SYN_ACK = 0x12;
    private static final int ACK = 0x10;
    /** MSS 1460 at an even offset, then NOP, NOP, SACK-permitted. */
    private static final byte[] MSS_FIRST = hex("020405b401010402");
    /** NOP, MSS 1460 (odd offset), NOP, window scale 7. */
    private static final byte[] MSS_ODD = hex("01020405b4010303" + "07000000");

    @Test
    void clampsIpv4SynAndKeepsChecksumValid() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] before = p.clone();

        assertTrue(MssClamp.clamp(p, 0, p.length, 1360));

        assertEquals(1360, u16(p, 40 + 2));
        assertEquals(0, TestPackets.tcpChecksum4(p, 0));
        assertUnchangedExcept(before, p, 36, 37, 42, 43);
    }

    @Test
    void clampsOddAlignedMssOption() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_ODD));

        assertTrue(MssClamp.clamp(p, 0, p.length, 1200));

        assertEquals(1200, u16(p, 40 + 3));
        assertEquals(0, TestPackets.tcpChecksum4(p, 0));
    }

    @Test
    void clampsSynAck() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN_ACK, MSS_FIRST));

        assertTrue(MssClamp.clamp(p, 0, p.length, 1300));

        assertEquals(1300, u16(p, 42));
        assertEquals(0, TestPackets.tcpChecksum4(p, 0));
    }

    @Test
    void clampsAtAnOffsetInsideALargerBuffer() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_ODD));
        byte[] buf = new byte[p.length + 10];
        System.arraycopy(p, 0, buf, 7, p.length);

        assertTrue(MssClamp.clamp(buf, 7, p.length, 1000));

        byte[] out = java.util.Arrays.copyOfRange(buf, 7, 7 + p.length);
        assertEquals(1000, u16(out, 43));
        assertEquals(0, TestPackets.tcpChecksum4(out, 0));
        assertEquals(0, buf[0] | buf[6] | buf[buf.length - 1]);
    }

    @Test
    void leavesSmallerOrEqualMssAlone() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] before = p.clone();

        assertFalse(MssClamp.clamp(p, 0, p.length, 1460));
        assertArrayEquals(before, p);
    }

    @Test
    void ignoresSegmentsWithoutSyn() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(ACK, MSS_FIRST));
        byte[] before = p.clone();

        assertFalse(MssClamp.clamp(p, 0, p.length, 1000));
        assertArrayEquals(before, p);
    }

    @Test
    void ignoresLaterFragments() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        p[6] = 0x20;
        p[7] = 0x10;

        assertFalse(MssClamp.clamp(p, 0, p.length, 1000));
    }

    @Test
    void ignoresSegmentWithoutMssOption() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, hex("01010402")));

        assertFalse(MssClamp.clamp(p, 0, p.length, 1000));
    }

    @Test
    void clampsIpv6Syn() {
        byte[] p = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(SYN, MSS_FIRST));

        assertTrue(MssClamp.clamp(p, 0, p.length, 1220));

        assertEquals(1220, u16(p, 60 + 2));
        assertEquals(0, TestPackets.tcpChecksum6(p, 0, 40));
    }

    @Test
    void clampsIpv6SynBehindHopByHopHeader() {
        // Next header TCP, length 0 (8 bytes), PadN option filling the rest.
        byte[] hopByHop = hex("0600010400000000");
        byte[] p = TestPackets.ipv6Tcp(hopByHop, TestPackets.tcp(SYN, MSS_ODD));

        assertTrue(MssClamp.clamp(p, 0, p.length, 1220));

        assertEquals(1220, u16(p, 48 + 23));
        assertEquals(0, TestPackets.tcpChecksum6(p, 0, 48));
    }

    @Test
    void tunnelClampGivesIpv6TwentyLessThanIpv4() {
        byte[] v4 = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] v6 = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(SYN_ACK, MSS_FIRST));

        assertTrue(MssClamp.clampTunnel(v4, 0, v4.length, false, 1400));
        assertTrue(MssClamp.clampTunnel(v6, 0, v6.length, false, 1400));

        assertEquals(1400, u16(v4, 40 + 2));
        assertEquals(0, TestPackets.tcpChecksum4(v4, 0));
        assertEquals(1380, u16(v6, 60 + 2));
        assertEquals(0, TestPackets.tcpChecksum6(v6, 0, 40));
    }

    @Test
    void tunnelClampOfZeroIsOff() {
        byte[] p = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] before = p.clone();

        assertFalse(MssClamp.clampTunnel(p, 0, p.length, false, 0));
        assertArrayEquals(before, p);
    }

    @Test
    void tunnelClampInTapFrames() {
        byte[] ip = TestPackets.ipv6Tcp(new byte[0], TestPackets.tcp(SYN, MSS_ODD));
        byte[] frame = concat(hex("02000000000102000000000286dd"), ip);

        assertTrue(MssClamp.clampTunnel(frame, 0, frame.length, true, 1368));

        assertEquals(1348, u16(frame, 14 + 40 + 23));
        assertEquals(0, TestPackets.tcpChecksum6(java.util.Arrays.copyOfRange(frame, 14, frame.length), 0, 40));
    }

    @Test
    void clampsInsideEthernetAndVlanFrames() {
        byte[] ip = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] plain = concat(hex("02000000000102000000000208 00".replace(" ", "")), ip);
        byte[] tagged = concat(hex("020000000001020000000002810000640800"), ip);

        assertTrue(MssClamp.clampEthernet(plain, 0, plain.length, 1300));
        assertTrue(MssClamp.clampEthernet(tagged, 0, tagged.length, 1300));

        assertEquals(1300, u16(plain, 14 + 42));
        assertEquals(1300, u16(tagged, 18 + 42));
        assertEquals(0, TestPackets.tcpChecksum4(java.util.Arrays.copyOfRange(tagged, 18, tagged.length), 0));
    }

    @Test
    void ignoresNonIpEthernetFrames() {
        byte[] ip = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_FIRST));
        byte[] arp = concat(hex("ffffffffffff0200000000020806"), ip);

        assertFalse(MssClamp.clampEthernet(arp, 0, arp.length, 1000));
    }

    @Test
    void neverThrowsOnGarbage() {
        Random random = new Random(42);
        byte[] valid = TestPackets.ipv4Tcp(TestPackets.tcp(SYN, MSS_ODD));
        for (int i = 0; i < 20_000; i++) {
            byte[] p = valid.clone();
            p[random.nextInt(p.length)] = (byte) random.nextInt();
            p[random.nextInt(p.length)] = (byte) random.nextInt();
            int len = random.nextInt(p.length + 1);
            MssClamp.clamp(p, 0, len, 1000);
            MssClamp.clampEthernet(p, 0, len, 1000);
        }
    }

    @Test
    void derivesMssFromMtu() {
        assertEquals(1460, MssClamp.mssForMtu(1500, false));
        assertEquals(1440, MssClamp.mssForMtu(1500, true));
    }

    /** Fails if any byte other than those at {@code changeable} differs. */
    private static void assertUnchangedExcept(byte[] before, byte[] after, int... changeable) {
        for (int i = 0; i < before.length; i++) {
            final int at = i;
            if (java.util.Arrays.stream(changeable).noneMatch(c -> c == at)) {
                assertEquals(before[i], after[i], "byte " + i + " changed");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
