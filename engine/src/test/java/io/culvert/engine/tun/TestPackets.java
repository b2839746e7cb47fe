package io.culvert.engine.tun;

import java.nio.ByteBuffer;

/** Hand-built packets and full (non-incremental) Internet checksums for the tun and session tests. Stateless. */
public final class TestPackets {
    static final byte[] SRC4 = {10, 8, 0, 2};
    static final byte[] DST4 = {(byte) 192, 0, 2, 7};
    static final byte[] SRC6 = hex("20010db8000000000000000000000002");
    static final byte[] DST6 = hex("20010db8000000000000000000000099");

    private TestPackets() {}

    /** A TCP header with the given flags and options (options length must be a multiple of 4), no payload. */
    public static byte[] tcp(int flags, byte[] options) {
        ByteBuffer b = ByteBuffer.allocate(20 + options.length);
        b.putShort((short) 40000).putShort((short) 443).putInt(0x01020304).putInt(flags == 0x12 ? 0x0a0b0c0d : 0);
        b.put((byte) (((20 + options.length) / 4) << 4)).put((byte) flags).putShort((short) 64240);
        b.putShort((short) 0).putShort((short) 0).put(options);
        return b.array();
    }

    public static byte[] ipv4Tcp(byte[] tcp) {
        ByteBuffer b = ByteBuffer.allocate(20 + tcp.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp.length)).putShort((short) 0x1234)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(SRC4).put(DST4);
        b.put(tcp);
        byte[] p = b.array();
        setShort(p, 10, checksum(p, 0, 20, 0));
        setShort(p, 20 + 16, tcpChecksum4(p, 0));
        return p;
    }

    public static byte[] ipv6Tcp(byte[] extension, byte[] tcp) {
        ByteBuffer b = ByteBuffer.allocate(40 + extension.length + tcp.length);
        b.putInt(0x60000000).putShort((short) (extension.length + tcp.length))
                .put((byte) (extension.length == 0 ? 6 : 0)).put((byte) 64).put(SRC6).put(DST6).put(extension).put(tcp);
        byte[] p = b.array();
        int tcpAt = 40 + extension.length;
        setShort(p, tcpAt + 16, tcpChecksum6(p, 0, tcpAt));
        return p;
    }

    /** Checksum over IPv4 pseudo-header plus TCP segment; 0 when the stored checksum is valid. */
    public static int tcpChecksum4(byte[] p, int off) {
        int ihl = (p[off] & 0x0f) * 4;
        int tcpLen = u16(p, off + 2) - ihl;
        int pseudo = sumWords(p, off + 12, 8) + 6 + tcpLen;
        return checksum(p, off + ihl, tcpLen, pseudo);
    }

    public static int tcpChecksum6(byte[] p, int off, int tcpAt) {
        int tcpLen = off + 40 + u16(p, off + 4) - tcpAt;
        int pseudo = sumWords(p, off + 8, 32) + 6 + tcpLen;
        return checksum(p, tcpAt, tcpLen, pseudo);
    }

    /** One's-complement checksum of {@code len} bytes plus a pre-summed value. */
    public static int checksum(byte[] p, int off, int len, int initial) {
        long sum = (initial & 0xffffffffL) + sumWords(p, off, len);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static int sumWords(byte[] p, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((p[off + i] & 0xff) << 8) | (i + 1 < len ? p[off + i + 1] & 0xff : 0);
        }
        return sum;
    }

    public static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    public static void setShort(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    public static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
