package io.culvert.engine.packet;

/**
 * Linux's {@code struct virtio_net_hdr} (include/uapi/linux/virtio_net.h), the 10 bytes in front of every packet a
 * TUN/TAP device opened with {@code IFF_VNET_HDR} reads or writes: flags, GSO type, header length, GSO segment size,
 * checksum start and checksum offset. The 16-bit fields are little-endian, as the kernel uses them on x86 and arm64
 * (a TUN device's default {@code TUNSETVNETLE} state on little-endian hosts). The record is for tests and logs; the
 * data path uses the static accessors, which do not allocate. Instances are immutable.
 *
 * @param flags {@link #F_NEEDS_CSUM}, {@link #F_DATA_VALID}
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_UDP}, {@link #GSO_TCPV6}, {@link #GSO_UDP_L4},
 *     optionally or-ed with {@link #GSO_ECN}
 * @param hdrLen length of the headers up to and including the transport header (a hint; the kernel may overstate it)
 * @param gsoSize payload bytes per segment (the MSS for TCP)
 * @param csumStart where the checksummed region starts, from the start of the packet (or frame)
 * @param csumOffset where the checksum is stored, from {@code csumStart}
 */
public record VirtioNetHdr(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    /** Bytes on the wire. */
    public static final int LENGTH = 10;
    /** The checksum field holds the pseudo-header sum; sum from {@code csumStart} to the end and store it there. */
    public static final int F_NEEDS_CSUM = 1;
    /** The checksum was verified (receive side). */
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UDP fragmentation offload (UFO); refused by this package. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation offload (USO), Linux 6.2 and later. */
    public static final int GSO_UDP_L4 = 5;
    /** Or-ed into the GSO type when the TCP super-segment has CWR set. */
    public static final int GSO_ECN = 0x80;
    /** All fields zero: a whole packet with a complete checksum. */
    public static final VirtioNetHdr NONE = new VirtioNetHdr(0, 0, 0, 0, 0, 0);

    public VirtioNetHdr {
        if ((flags | gsoType) >>> 8 != 0 || (hdrLen | gsoSize | csumStart | csumOffset) >>> 16 != 0) {
            throw new IllegalArgumentException(
                    "virtio_net_hdr field out of range: " + flags + " " + gsoType + " " + hdrLen + " " + gsoSize + " "
                            + csumStart + " " + csumOffset);
        }
    }

    /** Reads the 10 bytes at {@code off}; the caller checks that they are there. */
    public static VirtioNetHdr parse(byte[] b, int off) {
        return new VirtioNetHdr(flags(b, off), gsoType(b, off), hdrLen(b, off), gsoSize(b, off), csumStart(b, off),
                csumOffset(b, off));
    }

    /** Writes the 10 bytes at {@code off}. */
    public void writeTo(byte[] b, int off) {
        write(b, off, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }

    /** Writes a header without allocating. */
    public static void write(byte[] b, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        b[off] = (byte) flags;
        b[off + 1] = (byte) gsoType;
        le16(b, off + 2, hdrLen);
        le16(b, off + 4, gsoSize);
        le16(b, off + 6, csumStart);
        le16(b, off + 8, csumOffset);
    }

    /** Writes {@link #NONE}: ten zero bytes. */
    public static void writeNone(byte[] b, int off) {
        java.util.Arrays.fill(b, off, off + LENGTH, (byte) 0);
    }

    public static int flags(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int gsoType(byte[] b, int off) {
        return b[off + 1] & 0xff;
    }

    public static int hdrLen(byte[] b, int off) {
        return le16(b, off + 2);
    }

    public static int gsoSize(byte[] b, int off) {
        return le16(b, off + 4);
    }

    public static int csumStart(byte[] b, int off) {
        return le16(b, off + 6);
    }

    public static int csumOffset(byte[] b, int off) {
        return le16(b, off + 8);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
    }

    private static void le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}
