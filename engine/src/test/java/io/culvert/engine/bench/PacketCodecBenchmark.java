package io.culvert.engine.bench;

import io.culvert.engine.packet.Checksum;
import io.culvert.engine.packet.Segmenter;
import io.culvert.engine.packet.TcpCoalescer;
import io.culvert.engine.packet.VirtioNetHdr;

/**
 * Single-thread cost of the user-space offload codecs on this machine: cutting 64 KiB TCPv4 super-segments into
 * MSS-sized packets (TSO), and merging those packets back into super-segments (GRO), with every checksum computed.
 * Prints ns per super-segment, ns per packet and payload Gbit/s. Not a test.
 * Usage: engine/bench/packet-bench.sh [seconds per measurement, default 2]
 */
public final class PacketCodecBenchmark {
    private static final int MSS = 1448;
    private static final int SEGMENTS = 45;
    private static final int HEADERS = 20 + 32;
    private static final int STRIDE = 2048;

    private PacketCodecBenchmark() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        byte[] in = superSegment();
        Segmenter segmenter = new Segmenter(64);
        byte[] out = new byte[STRIDE * 64];
        long[] sink = new long[1];
        TcpCoalescer coalescer = new TcpCoalescer(false, (b, off, len) -> sink[0] += len, 8, 128, 1 << 17);
        int payload = SEGMENTS * MSS;
        for (int round = 0; round < 2; round++) {
            boolean report = round == 1;
            long n = 0;
            long start = System.nanoTime();
            long until = start + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                for (int k = 0; k < 100; k++) {
                    n += segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 32) > 0 ? 1 : 0;
                }
            }
            print(report, "segment (TSO)", n, System.nanoTime() - start, payload);
            int count = segmenter.segment(in, 0, in.length, false, out, 0, STRIDE, 32);
            n = 0;
            start = System.nanoTime();
            until = start + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                for (int k = 0; k < 100; k++) {
                    for (int i = 0; i < count; i++) {
                        coalescer.add(out, i * STRIDE + 32, segmenter.length(i));
                    }
                    coalescer.flush();
                    n++;
                }
            }
            print(report, "coalesce (GRO)", n, System.nanoTime() - start, payload);
        }
        if (sink[0] == 0) {
            throw new AssertionError("nothing written");
        }
    }

    private static void print(boolean report, String what, long superSegments, long nanos, int payload) {
        if (report) {
            System.out.printf("%-15s %7.0f ns per 64 KiB super-segment, %5.0f ns per %d-byte segment, %6.2f Gbit/s payload%n",
                    what, nanos / (double) superSegments, nanos / (double) superSegments / SEGMENTS, MSS,
                    superSegments * (double) payload * 8 / nanos);
        }
    }

    /** A TCPv4 super-segment (timestamps option) as a TSO read returns it, with a partial checksum. */
    private static byte[] superSegment() {
        int ipLength = HEADERS + SEGMENTS * MSS;
        byte[] p = new byte[VirtioNetHdr.LENGTH + ipLength];
        int ip = VirtioNetHdr.LENGTH;
        byte[] header = {0x45, 0, (byte) (ipLength >>> 8), (byte) ipLength, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
            10, 9, 0, 1, 10, 9, 0, 2};
        System.arraycopy(header, 0, p, ip, 20);
        Checksum.fixIpv4Header(p, ip, 20);
        byte[] tcp = {(byte) 0x9c, 0x40, 0, 80, 1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x80, 0x18, 0x01, (byte) 0xf5, 0, 0, 0, 0,
            1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
        System.arraycopy(tcp, 0, p, ip + 20, tcp.length);
        for (int i = ip + HEADERS; i < p.length; i++) {
            p[i] = (byte) (i * 31);
        }
        int partial = Checksum.fold(Checksum.pseudoHeaderV4(p, ip, 6, ipLength - 20));
        p[ip + 20 + 16] = (byte) (partial >>> 8);
        p[ip + 20 + 17] = (byte) partial;
        VirtioNetHdr.write(p, 0, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, HEADERS, MSS, 20, 16);
        return p;
    }
}
