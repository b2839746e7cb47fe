package io.culvert.engine.server;

import io.culvert.engine.packet.VirtioNetHdr;

/**
 * The server tests' own IPv4/TCP packets and checks, written plainly and independently of the code under test: RFC
 * 1071 one 16-bit word at a time, segments with full or partial (pseudo-header only) checksums, super-segments as a
 * kernel with TSO hands them out. Stateless.
 */
final class TcpPackets {
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int SYN = 0x02;

    private TcpPackets() {}

    /** Bytes {@code n} of a recognisable payload. */
    static byte[] payload(int n, int tag) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31 + (i >>> 8) + tag);
        }
        return p;
    }

    /**
     * An IPv4/TCP packet {@code src}:40000 → {@code dst}:5201 with the given flags and TCP options, its checksum
     * full, or only the pseudo-header sum as a device with checksum offload hands it out.
     */
    static byte[] tcp(byte[] src, byte[] dst, long seq, int id, int flags, byte[] options, byte[] payload, boolean full) {
        int tcpHeader = 20 + options.length;
        byte[] p = new byte[20 + tcpHeader + payload.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        put16(p, 4, id);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 6;
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        put16(p, 10, checksum(p, 0, 20, 0));
        put16(p, 20, 40000);
        put16(p, 22, 5201);
        put32(p, 24, seq);
        put32(p, 28, 0x01020304L);
        p[32] = (byte) ((tcpHeader / 4) << 4);
        p[33] = (byte) flags;
        put16(p, 34, 502);
        System.arraycopy(options, 0, p, 40, options.length);
        System.arraycopy(payload, 0, p, 20 + tcpHeader, payload.length);
        put16(p, 36, full ? checksum(p, 20, p.length - 20, pseudo(p)) : fold(pseudo(p)));
        return p;
    }

    /** What a device with TSO reads: a virtio header (TCPv4, NEEDS_CSUM, {@code mss}) and the partial packet. */
    static byte[] superSegment(byte[] src, byte[] dst, long seq, int id, int mss, byte[] payload) {
        byte[] p = tcp(src, dst, seq, id, ACK | PSH, new byte[0], payload, false);
        byte[] read = new byte[VirtioNetHdr.LENGTH + p.length];
        VirtioNetHdr.write(read, 0, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_TCPV4, 40, mss, 20, 16);
        System.arraycopy(p, 0, read, VirtioNetHdr.LENGTH, p.length);
        return read;
    }

    /** {@code packet} behind a virtio header with only NEEDS_CSUM set (checksum partial, no GSO). */
    static byte[] needsChecksum(byte[] packet) {
        byte[] read = new byte[VirtioNetHdr.LENGTH + packet.length];
        VirtioNetHdr.write(read, 0, VirtioNetHdr.F_NEEDS_CSUM, VirtioNetHdr.GSO_NONE, 0, 0, 20, 16);
        System.arraycopy(packet, 0, read, VirtioNetHdr.LENGTH, packet.length);
        return read;
    }

    /** The MSS option of a SYN: kind 2, length 4, {@code mss}. */
    static byte[] mssOption(int mss) {
        return new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss};
    }

    static long pseudo(byte[] p) {
        long s = 0;
        for (int i = 12; i < 20; i += 2) {
            s += u16(p, i);
        }
        return s + 6 + (p.length - 20);
    }

    /** RFC 1071, one 16-bit word at a time. */
    static int checksum(byte[] p, int off, int len, long initial) {
        return ~fold(sum(p, off, len, initial)) & 0xffff;
    }

    private static long sum(byte[] p, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += i + 1 < len ? u16(p, off + i) : (p[off + i] & 0xff) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    static boolean ipHeaderValid(byte[] p) {
        return checksum(p, 0, 20, 0) == 0;
    }

    static boolean tcpChecksumValid(byte[] p) {
        return checksum(p, 20, p.length - 20, pseudo(p)) == 0;
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static long u32(byte[] p, int at) {
        return ((long) u16(p, at) << 16) | u16(p, at + 2);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    static void put32(byte[] p, int at, long v) {
        put16(p, at, (int) (v >>> 16) & 0xffff);
        put16(p, at + 2, (int) v & 0xffff);
    }
}
