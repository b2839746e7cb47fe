package io.culvert.engine.packet;

import static io.culvert.engine.packet.RefPackets.capture;
import static io.culvert.engine.packet.RefPackets.ipHeaderLength;
import static io.culvert.engine.packet.RefPackets.superSegment;
import static io.culvert.engine.packet.RefPackets.u16;
import static io.culvert.engine.packet.RefPackets.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpCoalescerTest {
    private final List<byte[]> written = new ArrayList<>();
    private final TcpCoalescer coalescer = new TcpCoalescer(false,
            (b, off, len) -> written.add(Arrays.copyOfRange(b, off, off + len)), 8, 64, 1 << 16);
    private final Segmenter segmenter = new Segmenter(64);

    /** The kernel's two flights of five (each ending with PSH) become the two super-segments they were cut from. */
    @ParameterizedTest
    @ValueSource(strings = {"kernel-tcp4.hex", "kernel-tcp6.hex"})
    void mergesTheKernelsSegmentsBackIntoItsSuperSegments(String name) {
        List<byte[]> kernel = capture(name);

        feed(kernel);

        assertEquals(2, written.size());
        for (int f = 0; f < 2; f++) {
            List<byte[]> flight = kernel.subList(f * 5, f * 5 + 5);
            byte[] result = written.get(f);
            VirtioNetHdr h = VirtioNetHdr.parse(result, 0);
            int ipHeader = ipHeaderLength(flight.getFirst(), 0);
            assertEquals(new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM,
                    name.contains("6") ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4, ipHeader + 32, 1188, ipHeader, 16), h);
            assertTrue(RefPackets.ipHeaderValid(result, VirtioNetHdr.LENGTH));
            assertEquals(result.length - VirtioNetHdr.LENGTH, RefPackets.ipLength(result, VirtioNetHdr.LENGTH));
            assertEquals(RefPackets.partial(result, VirtioNetHdr.LENGTH, result.length - VirtioNetHdr.LENGTH - ipHeader),
                    u16(result, VirtioNetHdr.LENGTH + ipHeader + 16), "pseudo-header sum in the checksum field");
            assertArrayEquals(superSegment(flight), result);
            assertPackets(flight, cut(result), "cut again: the kernel's bytes");
        }
    }

    /** TAP: the same in Ethernet frames, with and without a VLAN tag; a frame for another host is another flow. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mergesFramesForATapDevice(boolean vlan) {
        List<byte[]> got = new ArrayList<>();
        TcpCoalescer tap = new TcpCoalescer(true, (b, off, len) -> got.add(Arrays.copyOfRange(b, off, off + len)),
                8, 64, 0);
        byte[] ether = RefPackets.ethernet(false, vlan);
        List<byte[]> kernel = capture("kernel-tcp4.hex").subList(0, 5);
        for (int i = 0; i < 5; i++) {
            byte[] frame = RefPackets.concat(ether, kernel.get(i));
            if (i == 3) {
                byte[] otherHost = frame.clone();
                otherHost[5] ^= 1;
                tap.add(otherHost, 0, otherHost.length);
            }
            tap.add(frame, 0, frame.length);
        }
        tap.flush();

        assertEquals(2, got.size(), "another destination MAC is another flow");
        assertArrayEquals(RefPackets.inFrame(superSegment(kernel), vlan), got.get(0));
        assertEquals(0, VirtioNetHdr.gsoType(got.get(1), 0));
        byte[] out = new byte[2048 * 8];
        int n = segmenter.segment(got.get(0), 0, got.get(0).length, true, out, 0, 2048, 0);
        assertEquals(5, n);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(RefPackets.concat(ether, kernel.get(i)),
                    Arrays.copyOfRange(out, i * 2048, i * 2048 + segmenter.length(i)), "frame " + i);
        }
    }

    @Test
    void keepsFlowsApartAndInTheOrderTheyCame() {
        List<byte[]> v4 = capture("kernel-tcp4.hex").subList(0, 5);
        List<byte[]> v6 = capture("kernel-tcp6.hex").subList(0, 5);
        byte[] udp = capture("kernel-udp4.hex").getFirst();
        for (int i = 0; i < 5; i++) {
            coalescer.add(v6.get(i), 0, v6.get(i).length);
            if (i == 2) {
                coalescer.add(udp, 0, udp.length);
            }
            coalescer.add(v4.get(i), 0, v4.get(i).length);
        }
        coalescer.flush();

        assertEquals(3, written.size());
        assertArrayEquals(superSegment(v6), written.get(0));
        assertArrayEquals(superSegment(v4), written.get(1));
        assertArrayEquals(RefPackets.concat(new byte[10], udp), written.get(2), "UDP passes unchanged behind a zero header");
    }

    @Test
    void aGapOrReorderingEndsTheSuperSegmentAndNothingIsReordered() {
        List<byte[]> k = capture("kernel-tcp4.hex");
        feed(List.of(k.get(0), k.get(1), k.get(3), k.get(2), k.get(4), k.get(6), k.get(7)));

        List<byte[]> out = new ArrayList<>();
        for (byte[] w : written) {
            out.addAll(cut(w));
        }
        assertPackets(List.of(k.get(0), k.get(1), k.get(3), k.get(2), k.get(4), k.get(6), k.get(7)), out,
                "the same packets in the same order");
        assertEquals(5, written.size(), "[0 1] [3] [2] [4, with PSH] [6 7]");
    }

    @Test
    void packetsThatMustNotMergePassUnchanged() {
        List<byte[]> k = capture("kernel-tcp4.hex");
        byte[] badChecksum = k.get(1).clone();
        badChecksum[badChecksum.length - 1] ^= 1;
        byte[] otherTimestamp = k.get(3).clone();
        otherTimestamp[20 + 27] ^= 1; // TSecr's last byte; TCP checksum fixed below
        RefPackets.fixTcpChecksum(otherTimestamp);

        feed(List.of(k.get(0), badChecksum, k.get(2), otherTimestamp, k.get(4)));

        assertEquals(5, written.size());
        assertArrayEquals(RefPackets.concat(new byte[10], k.get(0)), written.get(0), "one segment: unchanged, zero header");
        assertArrayEquals(RefPackets.concat(new byte[10], badChecksum), written.get(1));
        assertArrayEquals(RefPackets.concat(new byte[10], k.get(2)), written.get(2));
        assertArrayEquals(RefPackets.concat(new byte[10], otherTimestamp), written.get(3));
    }

    @Test
    void aPacketItCannotReadEndsEverySuperSegmentSoNothingOvertakesIt() {
        List<byte[]> k = capture("kernel-tcp4.hex");
        byte[] icmp = Arrays.copyOf(k.get(0), 28);
        icmp[9] = 1;
        RefPackets.setLengths(icmp, 7);

        feed(List.of(k.get(0), k.get(1), icmp, k.get(2), k.get(3)));

        assertEquals(3, written.size());
        assertPackets(k.subList(0, 2), cut(written.get(0)), "before");
        assertArrayEquals(RefPackets.concat(new byte[10], icmp), written.get(1));
        assertPackets(k.subList(2, 4), cut(written.get(2)), "after");
        assertEquals(false, coalescer.add(new byte[70_000], 0, 65_536), "longer than an IP packet can be");
    }

    @Test
    void superSegmentsStayWithin64KiB() {
        List<byte[]> segments = RefPackets.synthetic(capture("kernel-tcp4.hex").getFirst(), 0, 120, 1188, 0);

        feed(segments);

        List<byte[]> out = new ArrayList<>();
        for (byte[] w : written) {
            assertTrue(w.length - VirtioNetHdr.LENGTH <= 65_535, "IP length " + (w.length - 10));
            out.addAll(cut(w));
        }
        assertEquals(3, written.size(), "55 + 55 + 10 segments of 1188 bytes");
        assertPackets(segments, out, "all segments in order");
    }

    @Test
    void moreFlowsThanSlotsAreFlushedOnTheWayAndNothingIsLost() {
        List<byte[]> got = new ArrayList<>();
        TcpCoalescer small = new TcpCoalescer(false, (b, off, len) -> got.add(Arrays.copyOfRange(b, off, off + len)),
                2, 4, 0);
        byte[] template = capture("kernel-tcp6.hex").getFirst();
        List<List<byte[]>> flows = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            flows.add(RefPackets.synthetic(template, f, 6, 1000, 7 * f));
        }
        for (int i = 0; i < 6; i++) {
            for (List<byte[]> flow : flows) {
                small.add(flow.get(i), 0, flow.get(i).length);
            }
        }
        small.flush();

        for (int f = 0; f < 5; f++) {
            List<byte[]> flowOut = new ArrayList<>();
            for (byte[] w : got) {
                for (byte[] seg : cut(w)) {
                    if (u16(seg, 40) == u16(flows.get(f).getFirst(), 40)) {
                        flowOut.add(seg);
                    }
                }
            }
            assertPackets(flows.get(f), flowOut, "flow " + f);
        }
    }

    /** Property: cut a super-segment, coalesce the pieces, and the same super-segment comes back. */
    @Test
    void segmentThenCoalesceGivesBackTheSuperSegment() {
        Random random = new Random(11);
        byte[][] templates = {capture("kernel-tcp4.hex").getFirst(), capture("kernel-tcp6.hex").getFirst()};
        byte[] out = new byte[2048 * 64];
        for (int round = 0; round < 300; round++) {
            byte[] template = templates[round % 2];
            int gso = 200 + random.nextInt(1200);
            int count = 2 + random.nextInt(Math.min(62, 60_000 / gso - 1));
            int last = 1 + random.nextInt(gso);
            List<byte[]> pieces =
                    RefPackets.synthetic(template, random.nextInt(1000), count, gso, random.nextLong() & 0xffffffffL);
            byte[] lastPiece = pieces.getLast();
            pieces.set(count - 1, resize(lastPiece, last, random.nextBoolean()));
            byte[] original = superSegment(pieces);
            written.clear();

            int n = segmenter.segment(original, 0, original.length, false, out, 0, 2048, 0);
            assertEquals(count, n);
            for (int i = 0; i < n; i++) {
                coalescer.add(out, i * 2048, segmenter.length(i));
            }
            coalescer.flush();

            assertEquals(1, written.size());
            assertArrayEquals(original, written.getFirst(), "round " + round);
        }
    }

    private static void assertPackets(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.stream().map(HexFormat.of()::formatHex).toList(),
                actual.stream().map(HexFormat.of()::formatHex).toList(), what);
    }

    private void feed(List<byte[]> packets) {
        for (byte[] p : packets) {
            coalescer.add(p, 0, p.length);
        }
        coalescer.flush();
    }

    /** The packets a result stands for: a super-segment cut by the segmenter, or the packet behind a zero header. */
    private List<byte[]> cut(byte[] result) {
        byte[] out = new byte[2048 * 64];
        int n = segmenter.segment(result, 0, result.length, false, out, 0, 2048, 0);
        assertTrue(n > 0, () -> "cut: " + segmenter.lastDrop());
        List<byte[]> segs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segs.add(Arrays.copyOfRange(out, i * 2048, i * 2048 + segmenter.length(i)));
        }
        return segs;
    }

    private static byte[] resize(byte[] p, int payload, boolean psh) {
        int ipHeader = ipHeaderLength(p, 0);
        int headers = ipHeader + RefPackets.l4HeaderLength(p, 0);
        byte[] r = Arrays.copyOf(p, headers + payload);
        if (psh) {
            r[ipHeader + 13] |= RefPackets.PSH;
        }
        RefPackets.setLengths(r, -1);
        RefPackets.fixTcpChecksum(r);
        return r;
    }
}
