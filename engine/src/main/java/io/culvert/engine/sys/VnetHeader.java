package io.culvert.engine.sys;

/**
 * {@code struct virtio_net_hdr} ({@code <linux/virtio_net.h>}), the 10 bytes a TUN device opened with a virtio
 * header puts before each packet it hands out and expects before each packet it takes; fields are in host (little
 * endian) order. Immutable.
 *
 * @param flags {@link #NEEDS_CSUM} when the checksum at {@code csumStart + csumOffset} is partial
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_TCPV6} or {@link #GSO_UDP_L4}
 * @param hdrLen length of the IP and transport headers of a super-segment
 * @param gsoSize payload bytes per segment of a super-segment
 * @param csumStart offset of the transport header
 * @param csumOffset offset of the checksum field inside the transport header
 */
public record VnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    public static final int LENGTH = 10;
    public static final int NEEDS_CSUM = 1;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;
    /** A header that says "one whole packet, checksums complete". */
    public static final VnetHeader NONE = new VnetHeader(0, GSO_NONE, 0, 0, 0, 0);

    public static VnetHeader parse(byte[] b, int off) {
        return new VnetHeader(b[off] & 0xff, b[off + 1] & 0xff, u16(b, off + 2), u16(b, off + 4), u16(b, off + 6),
                u16(b, off + 8));
    }

    public void writeTo(byte[] b, int off) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        put16(b, off + 2, hdrLen);
        put16(b, off + 4, gsoSize);
        put16(b, off + 6, csumStart);
        put16(b, off + 8, csumOffset);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
