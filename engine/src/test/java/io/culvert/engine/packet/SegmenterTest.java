package io.culvert.engine.packet;

import static io.culvert.engine.packet.RefPackets.capture;
import static io.culvert.engine.packet.RefPackets.inFrame;
import static io.culvert.engine.packet.RefPackets.ipHeaderValid;
import static io.culvert.engine.packet.RefPackets.superSegment;
import static io.culvert.engine.packet.RefPackets.transportValid;
import static io.culvert.engine.packet.RefPackets.u16;
import static io.culvert.engine.packet.RefPackets.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.DropReason;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segmentation against the kernel's own: the segments in {@code kernel-*.hex} were read from a TUN device without
 * offloads, so the kernel cut them from its super-segments in software. A super-segment rebuilt from them must be
 * cut back into exactly those bytes, checksums and IP IDs included.
 */
class SegmenterTest {
    private static final int STRIDE = 2048;
    private static final int HEADROOM = 24;

    private final Segmenter segmenter = new Segmenter(64);

    @ParameterizedTest
    @ValueSource(strings = {"kernel-tcp4.hex", "kernel-tcp6.hex", "kernel-udp4.hex", "kernel-udp6.hex"})
    void reproducesTheKernelsSegmentsOverTun(String name) {
        List<byte[]> kernel = capture(name);
        // The TCP captures hold two flights of five, each ending with PSH; the UDP ones one train of four.
        int run = name.contains("tcp") ? 5 : 4;
        for (int from = 0; from + run <= kernel.size(); from += run) {
            List<byte[]> expected = kernel.subList(from, from + run);
            byte[] in = superSegment(expected);
            byte[] out = new byte[STRIDE * 8];

            int n = segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, HEADROOM);

            assertEquals(run, n, () -> "segments, drop " + segmenter.lastDrop());
            for (int i = 0; i < n; i++) {
                byte[] seg = Arrays.copyOfRange(out, i * STRIDE + HEADROOM, i * STRIDE + HEADROOM + segmenter.length(i));
                assertArrayEquals(expected.get(i), seg, name + " segment " + (from + i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reproducesTheKernelsSegmentsInTapFramesWithAndWithoutVlan(boolean vlan) {
        for (String name : List.of("kernel-tcp4.hex", "kernel-tcp6.hex", "kernel-udp4.hex", "kernel-udp6.hex")) {
            List<byte[]> kernel = capture(name).subList(0, 4);
            byte[] in = inFrame(superSegment(kernel), vlan);
            byte[] out = new byte[STRIDE * 8];

            int n = segmenter.segment(in, 0, in.length, true, out, 0, STRIDE, HEADROOM);

            assertEquals(4, n, () -> name + " drop " + segmenter.lastDrop());
            byte[] ether = RefPackets.ethernet(name.contains("6"), vlan);
            for (int i = 0; i < n; i++) {
                byte[] seg = Arrays.copyOfRange(out, i * STRIDE + HEADROOM, i * STRIDE + HEADROOM + segmenter.length(i));
                assertArrayEquals(RefPackets.concat(ether, kernel.get(i)), seg, name + " frame " + i);
            }
        }
    }

    /** What the kernel hands a reader with IFF_VNET_HDR and TSO/USO on: cut, every checksum verified independently. */
    @ParameterizedTest
    @ValueSource(strings = {"kernel-vnet-tcp4.hex", "kernel-vnet-tcp6.hex", "kernel-vnet-udp4.hex", "kernel-vnet-udp6.hex"})
    void cutsTheKernelsOwnSuperSegments(String name) {
        byte[] in = capture(name).getFirst();
        VirtioNetHdr hdr = VirtioNetHdr.parse(in, 0);
        int ip = VirtioNetHdr.LENGTH;
        int headers = RefPackets.ipHeaderLength(in, ip) + RefPackets.l4HeaderLength(in, ip);
        int payload = in.length - ip - headers;
        byte[] out = new byte[STRIDE * 8];

        int n = segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, HEADROOM);

        assertEquals((payload + hdr.gsoSize() - 1) / hdr.gsoSize(), n, () -> "drop " + segmenter.lastDrop());
        assertTrue(n > 1, "a super-segment");
        byte[] joined = new byte[0];
        for (int i = 0; i < n; i++) {
            int at = i * STRIDE + HEADROOM;
            byte[] seg = Arrays.copyOfRange(out, at, at + segmenter.length(i));
            assertEquals(seg.length, RefPackets.ipLength(seg, 0));
            assertTrue(ipHeaderValid(seg, 0), "IP header checksum of segment " + i);
            assertTrue(transportValid(seg, 0), "transport checksum of segment " + i);
            assertTrue(seg.length - headers <= hdr.gsoSize());
            joined = RefPackets.concat(joined, Arrays.copyOfRange(seg, headers, seg.length));
        }
        assertArrayEquals(Arrays.copyOfRange(in, ip + headers, in.length), joined, "payload in order");
    }

    @Test
    void placesSegmentsAtStrideAndHeadroomAndTouchesNothingElse() {
        byte[] in = superSegment(capture("kernel-tcp4.hex").subList(0, 5));
        byte[] out = new byte[100 + STRIDE * 5];
        Arrays.fill(out, (byte) 0x5a);

        int n = segmenter.segment(in, 0, in.length, false, out, 100, STRIDE, HEADROOM);

        assertEquals(5, n);
        for (int i = 0; i < out.length; i++) {
            int rel = i - 100;
            int slot = Math.floorDiv(rel, STRIDE);
            int inSlot = rel - slot * STRIDE;
            boolean written = rel >= 0 && slot < n && inSlot >= HEADROOM && inSlot < HEADROOM + segmenter.length(slot);
            if (!written) {
                assertEquals((byte) 0x5a, out[i], "byte " + i + " outside the segments");
            }
        }
    }

    @Test
    void cwrOnlyOnTheFirstFinAndPshOnlyOnTheLastEceOnAll() {
        List<byte[]> segs = capture("kernel-tcp4.hex").subList(0, 5);
        byte[] in = superSegment(segs);
        int tcpFlags = VirtioNetHdr.LENGTH + 20 + 13;
        in[tcpFlags] = (byte) (0x80 | 0x40 | RefPackets.ACK | RefPackets.PSH | 0x01);
        in[1] = (byte) (VirtioNetHdr.GSO_TCPV4 | VirtioNetHdr.GSO_ECN);
        byte[] out = new byte[STRIDE * 5];

        int n = segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 0);

        assertEquals(5, n);
        for (int i = 0; i < n; i++) {
            int flags = out[i * STRIDE + 20 + 13] & 0xff;
            assertEquals(i == 0, (flags & 0x80) != 0, "CWR on segment " + i);
            assertEquals(i == n - 1, (flags & 0x01) != 0, "FIN on segment " + i);
            assertEquals(i == n - 1, (flags & RefPackets.PSH) != 0, "PSH on segment " + i);
            assertTrue((flags & 0x40) != 0 && (flags & RefPackets.ACK) != 0, "ECE and ACK on segment " + i);
            assertTrue(transportValid(Arrays.copyOfRange(out, i * STRIDE, i * STRIDE + segmenter.length(i)), 0));
        }
    }

    @Test
    void sequenceNumbersAndIpIdsWrapAround() {
        byte[] in = superSegment(capture("kernel-tcp4.hex").subList(0, 5));
        int ip = VirtioNetHdr.LENGTH;
        RefPackets.put16(in, ip + 4, 0xfffe);
        RefPackets.put16(in, ip + 10, 0);
        RefPackets.put16(in, ip + 10, RefPackets.rfc1071(in, ip, 20, 0));
        RefPackets.put32(in, ip + 20 + 4, 0xffffffffL - 1000);
        byte[] out = new byte[STRIDE * 5];

        int n = segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 0);

        assertEquals(5, n);
        int mss = VirtioNetHdr.gsoSize(in, 0);
        for (int i = 0; i < n; i++) {
            byte[] seg = Arrays.copyOfRange(out, i * STRIDE, i * STRIDE + segmenter.length(i));
            assertEquals((0xfffe + i) & 0xffff, u16(seg, 4), "IP ID " + i);
            assertEquals((0xffffffffL - 1000 + (long) i * mss) & 0xffffffffL, u32(seg, 24), "seq " + i);
            assertTrue(ipHeaderValid(seg, 0) && transportValid(seg, 0), "checksums of " + i);
        }
    }

    @Test
    void aShortSuperSegmentIsOneSegment() {
        List<byte[]> one = capture("kernel-tcp6.hex").subList(4, 5);
        byte[] in = superSegment(one);
        byte[] out = new byte[STRIDE];

        assertEquals(1, segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 0));
        assertArrayEquals(one.getFirst(), Arrays.copyOf(out, segmenter.length(0)));
    }

    /**
     * A super-segment of more segments than the segmenter holds is cut window by window into exactly the kernel's
     * segments: sequence numbers, IP IDs and checksums continue across windows, PSH only on the very last.
     */
    @ParameterizedTest
    @ValueSource(strings = {"kernel-tcp4.hex", "kernel-tcp6.hex", "kernel-udp4.hex", "kernel-udp6.hex"})
    void cutsWindowByWindowWhenASuperSegmentHasMoreSegmentsThanItHolds(String name) {
        int run = name.contains("tcp") ? 5 : 4;
        List<byte[]> expected = capture(name).subList(0, run);
        byte[] in = superSegment(expected);
        Segmenter two = new Segmenter(2);
        byte[] out = new byte[STRIDE * 2];
        int cut = 0;
        int windows = 0;
        do {
            int n = two.segment(in, 0, in.length, false, out, 0, STRIDE, HEADROOM, cut);
            assertTrue(n > 0 && n <= 2, () -> "window of " + n + ", drop " + two.lastDrop());
            assertEquals(run, two.total());
            for (int i = 0; i < n; i++) {
                byte[] seg = Arrays.copyOfRange(out, i * STRIDE + HEADROOM, i * STRIDE + HEADROOM + two.length(i));
                assertArrayEquals(expected.get(cut + i), seg, name + " segment " + (cut + i));
            }
            cut += n;
            windows++;
        } while (cut < two.total());
        assertEquals(run, cut);
        assertEquals((run + 1) / 2, windows);
    }

    @Test
    void refusesWhatItCannotCutWithADropReason() {
        byte[] good = superSegment(capture("kernel-tcp4.hex").subList(0, 5));
        byte[] good6 = superSegment(capture("kernel-tcp6.hex").subList(0, 5));
        byte[] out = new byte[STRIDE * 8];
        int ip = VirtioNetHdr.LENGTH;

        assertDrop(DropReason.TRUNCATED, Arrays.copyOf(good, 9), out);
        assertDrop(DropReason.TRUNCATED, Arrays.copyOf(good, ip + 30), out);
        assertDrop(DropReason.TRUNCATED, Arrays.copyOf(good, good.length - 1), out);
        assertDrop(DropReason.MALFORMED, with(good, h -> h[4] = h[5] = 0), out); // gso_size 0
        assertDrop(DropReason.MALFORMED, with(good, h -> h[2] = 20), out); // hdr_len shorter than the headers
        assertDrop(DropReason.MALFORMED, with(good, h -> { h[2] = (byte) 0xff; h[3] = (byte) 0xff; }), out);
        assertDrop(DropReason.MALFORMED, with(good, h -> h[6] = 24), out); // csum_start
        assertDrop(DropReason.MALFORMED, with(good, h -> h[8] = 6), out); // csum_offset
        assertDrop(DropReason.MALFORMED, with(good, h -> h[0] = 0), out); // GSO without NEEDS_CSUM
        assertDrop(DropReason.MALFORMED, with(good, h -> h[1] = VirtioNetHdr.GSO_TCPV6), out);
        assertDrop(DropReason.MALFORMED, with(good, h -> h[1] = VirtioNetHdr.GSO_UDP_L4), out);
        assertDrop(DropReason.OFFLOAD_UNSUPPORTED, with(good, h -> h[1] = VirtioNetHdr.GSO_UDP), out); // UFO
        assertDrop(DropReason.OFFLOAD_UNSUPPORTED, with(good, h -> h[1] = 9), out);
        assertDrop(DropReason.OFFLOAD_UNSUPPORTED, withIpv4Options(good), out);
        assertDrop(DropReason.OFFLOAD_UNSUPPORTED, withHopByHop(good6), out);
        assertDrop(DropReason.OFFLOAD_UNSUPPORTED, with(good, h -> h[ip + 6] = 0x20), out); // MF: a fragment
        assertDrop(DropReason.MALFORMED, with(good, h -> h[ip] = 0x35), out); // IP version 3
        assertDrop(DropReason.MALFORMED, with(good, h -> h[ip + 20 + 12] = 0x30), out); // TCP data offset 12
        assertDrop(DropReason.OVERSIZED, good, new byte[STRIDE * 4]);
        assertEquals(-1, segmenter.segment(good, 0, good.length, false, out, 0, 1200, 0)); // stride < segment
        assertEquals(DropReason.OVERSIZED, segmenter.lastDrop());
    }

    @Test
    void neverThrowsOnMutatedInput() {
        Random random = new Random(42);
        List<byte[]> seeds = List.of(superSegment(capture("kernel-tcp4.hex").subList(0, 5)),
                superSegment(capture("kernel-udp6.hex")), inFrame(superSegment(capture("kernel-tcp6.hex")), true));
        byte[] out = new byte[STRIDE * 64];
        for (int round = 0; round < 3000; round++) {
            byte[] in = seeds.get(round % seeds.size()).clone();
            for (int k = random.nextInt(4) + 1; k > 0; k--) {
                in[random.nextInt(Math.min(in.length, 120))] = (byte) random.nextInt(256);
            }
            int len = random.nextInt(8) == 0 ? random.nextInt(in.length + 1) : in.length;
            boolean tap = round % seeds.size() == 2;
            int n = segmenter.segment(in, 0, len, tap, out, 0, STRIDE, 0);
            if (n < 0) {
                assertTrue(segmenter.lastDrop() != null);
            }
        }
    }

    private void assertDrop(DropReason reason, byte[] in, byte[] out) {
        assertEquals(-1, segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 0), () -> "expected " + reason);
        assertEquals(reason, segmenter.lastDrop());
    }

    private static byte[] with(byte[] p, java.util.function.Consumer<byte[]> change) {
        byte[] c = p.clone();
        change.accept(c);
        return c;
    }

    /** Four bytes of IPv4 options (NOPs and an end), lengths and header checksum fixed. */
    private static byte[] withIpv4Options(byte[] p) {
        int ip = VirtioNetHdr.LENGTH;
        byte[] c = new byte[p.length + 4];
        System.arraycopy(p, 0, c, 0, ip + 20);
        c[ip + 20] = 1;
        c[ip + 21] = 1;
        c[ip + 22] = 1;
        System.arraycopy(p, ip + 20, c, ip + 24, p.length - ip - 20);
        c[ip] = 0x46;
        RefPackets.put16(c, ip + 2, u16(p, ip + 2) + 4);
        c[6] = 24;
        return c;
    }

    /** An empty hop-by-hop header (8 bytes of padding) before TCP. */
    private static byte[] withHopByHop(byte[] p) {
        int ip = VirtioNetHdr.LENGTH;
        byte[] c = new byte[p.length + 8];
        System.arraycopy(p, 0, c, 0, ip + 40);
        c[ip + 40] = 6;
        c[ip + 42] = 1;
        c[ip + 43] = 4;
        System.arraycopy(p, ip + 40, c, ip + 48, p.length - ip - 40);
        c[ip + 6] = 0;
        RefPackets.put16(c, ip + 4, u16(p, ip + 4) + 8);
        c[6] = 48;
        return c;
    }
}
