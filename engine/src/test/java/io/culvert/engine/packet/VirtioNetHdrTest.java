package io.culvert.engine.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VirtioNetHdrTest {
    @Test
    void readsTheKernelsHeaderOfATcpSuperSegment() {
        byte[] kernel = RefPackets.capture("kernel-vnet-tcp4.hex").getFirst();

        VirtioNetHdr h = VirtioNetHdr.parse(kernel, 0);

        // As the kernel sent it: NEEDS_CSUM, TCPv4, 52 bytes of IPv4+TCP(+timestamps), MSS 1200 - 12.
        assertEquals(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 52, 1188, 20, 16), h);
    }

    @Test
    void fieldsAreLittleEndianAtTheirUapiOffsets() {
        byte[] b = new byte[12];
        new VirtioNetHdr(0x01, 0x85, 0x0142, 0x05a8, 0x0e22, 0x0010).writeTo(b, 2);

        assertArrayEquals(HexFormat.of().parseHex("0000" + "01" + "85" + "4201" + "a805" + "220e" + "1000"), b);
    }

    @Test
    void parseAndWriteRoundTripAndAgreeWithTheStaticAccessors() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            VirtioNetHdr h = new VirtioNetHdr(random.nextInt(256), random.nextInt(256), random.nextInt(65536),
                    random.nextInt(65536), random.nextInt(65536), random.nextInt(65536));
            byte[] b = new byte[VirtioNetHdr.LENGTH + 3];
            h.writeTo(b, 3);
            assertEquals(h, VirtioNetHdr.parse(b, 3));
            assertEquals(h.flags(), VirtioNetHdr.flags(b, 3));
            assertEquals(h.gsoType(), VirtioNetHdr.gsoType(b, 3));
            assertEquals(h.hdrLen(), VirtioNetHdr.hdrLen(b, 3));
            assertEquals(h.gsoSize(), VirtioNetHdr.gsoSize(b, 3));
            assertEquals(h.csumStart(), VirtioNetHdr.csumStart(b, 3));
            assertEquals(h.csumOffset(), VirtioNetHdr.csumOffset(b, 3));
        }
    }

    @Test
    void noneIsTenZeroBytes() {
        byte[] b = new byte[10];
        java.util.Arrays.fill(b, (byte) 0x77);
        VirtioNetHdr.writeNone(b, 0);
        assertArrayEquals(new byte[10], b);
        assertEquals(VirtioNetHdr.NONE, VirtioNetHdr.parse(b, 0));
    }

    @Test
    void refusesFieldsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHdr(256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHdr(0, 0, 65536, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHdr(0, 0, 0, -1, 0, 0));
    }
}
