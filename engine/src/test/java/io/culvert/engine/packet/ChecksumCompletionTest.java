package io.culvert.engine.packet;

import static io.culvert.engine.packet.RefPackets.capture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ChecksumCompletionTest {
    private final ChecksumCompletion completion = new ChecksumCompletion();

    /** Packets the kernel handed over with a partial checksum (NEEDS_CSUM, no GSO): verified independently after. */
    @ParameterizedTest
    @ValueSource(strings = {"kernel-vnet-udp4-csum.hex", "kernel-vnet-udp6-csum.hex"})
    void completesTheKernelsPartialChecksums(String name) {
        byte[] in = capture(name).getFirst();
        VirtioNetHdr h = VirtioNetHdr.parse(in, 0);
        assertEquals(VirtioNetHdr.F_NEEDS_CSUM, h.flags());
        assertEquals(VirtioNetHdr.GSO_NONE, h.gsoType());
        byte[] p = Arrays.copyOfRange(in, VirtioNetHdr.LENGTH, in.length);
        assertTrue(!RefPackets.transportValid(p, 0), "partial before");

        assertNull(completion.complete(p, 0, p.length, false, h.csumStart(), h.csumOffset()));

        assertTrue(RefPackets.transportValid(p, 0), "valid after");
    }

    /** Every kernel segment made partial again (TCP and UDP, v4 and v6), in TUN packets and TAP frames with and without VLAN. */
    @ParameterizedTest
    @ValueSource(strings = {"tun", "tap", "vlan"})
    void completionRestoresTheKernelsChecksum(String framing) {
        for (String name : new String[] {"kernel-tcp4.hex", "kernel-tcp6.hex", "kernel-udp4.hex", "kernel-udp6.hex"}) {
            for (byte[] kernel : capture(name)) {
                int ipHeader = RefPackets.ipHeaderLength(kernel, 0);
                boolean tcp = RefPackets.protocol(kernel, 0) == 6;
                byte[] partial = kernel.clone();
                RefPackets.put16(partial, ipHeader + (tcp ? 16 : 6),
                        RefPackets.partial(partial, 0, kernel.length - ipHeader));
                byte[] l2 = framing.equals("tun") ? new byte[0] : RefPackets.ethernet(name.contains("6"), framing.equals("vlan"));
                byte[] p = RefPackets.concat(l2, partial);
                // Ethernet padding after the IP packet must not enter the sum.
                byte[] padded = Arrays.copyOf(p, p.length + (framing.equals("tun") ? 0 : 3));

                assertNull(completion.complete(padded, 0, padded.length, !framing.equals("tun"), l2.length + ipHeader,
                        tcp ? 16 : 6));

                assertArrayEquals(RefPackets.concat(l2, kernel), Arrays.copyOf(padded, p.length), name);
            }
        }
    }

    @Test
    void refusesWrongOffsetsAndShortPackets() {
        byte[] p = capture("kernel-tcp4.hex").getFirst();
        byte[] before = p.clone();

        assertEquals(DropReason.MALFORMED, completion.complete(p, 0, p.length, false, 24, 16));
        assertEquals(DropReason.MALFORMED, completion.complete(p, 0, p.length, false, 20, 6));
        assertEquals(DropReason.TRUNCATED, completion.complete(p, 0, 30, false, 20, 16));
        assertEquals(DropReason.TRUNCATED, completion.complete(p, 0, 10, true, 20, 16));
        byte[] arp = RefPackets.concat(RefPackets.ethernet(false, false), p);
        arp[12] = 8;
        arp[13] = 6;
        assertEquals(DropReason.OFFLOAD_UNSUPPORTED, completion.complete(arp, 0, arp.length, true, 34, 16));
        assertArrayEquals(before, p, "unchanged when refused");
    }
}
