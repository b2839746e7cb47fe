package io.culvert.engine.net;

/**
 * The one place that reads IP and Ethernet header fields from raw packets and frames, straight from the buffer and
 * without allocating (but for {@link #ipv6Source}/{@link #ipv6Destination}, which copy). Callers check the length
 * first ({@link #isIpv4}, {@link #isIpv6}, {@link #ipVersion}, {@link #isEthernet}); the field readers do no bounds
 * checks of their own. Stateless and thread-safe.
 */
public final class IpHeaders {
    public static final int ETHER_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;

    private IpHeaders() {}

    /** The IP version nibble of the first byte, or -1 for an empty packet. */
    public static int version(byte[] b, int off, int len) {
        return len < 1 ? -1 : (b[off] & 0xff) >>> 4;
    }

    /** The IP version nibble of the first byte. */
    public static int version(byte[] b, int off) {
        return (b[off] & 0xff) >>> 4;
    }

    /** 4 or 6 when the buffer holds at least that version's fixed header, else -1. */
    public static int ipVersion(byte[] b, int off, int len) {
        return isIpv4(b, off, len) ? 4 : isIpv6(b, off, len) ? 6 : -1;
    }

    /** True if this is long enough for an IPv4 header and says version 4. */
    public static boolean isIpv4(byte[] b, int off, int len) {
        return len >= 20 && version(b, off) == 4;
    }

    /** True if this is long enough for an IPv6 header and says version 6. */
    public static boolean isIpv6(byte[] b, int off, int len) {
        return len >= 40 && version(b, off) == 6;
    }

    public static int ipv4Source(byte[] b, int off) {
        return (int) read(b, off + 12, 4);
    }

    public static int ipv4Destination(byte[] b, int off) {
        return (int) read(b, off + 16, 4);
    }

    public static byte[] ipv6Source(byte[] b, int off) {
        return java.util.Arrays.copyOfRange(b, off + 8, off + 24);
    }

    public static byte[] ipv6Destination(byte[] b, int off) {
        return java.util.Arrays.copyOfRange(b, off + 24, off + 40);
    }

    /** High 64 bits of the IPv6 source address. */
    public static long ipv6SourceHi(byte[] b, int off) {
        return read(b, off + 8, 8);
    }

    /** Low 64 bits of the IPv6 source address. */
    public static long ipv6SourceLo(byte[] b, int off) {
        return read(b, off + 16, 8);
    }

    /** High 64 bits of the IPv6 destination address. */
    public static long ipv6DestinationHi(byte[] b, int off) {
        return read(b, off + 24, 8);
    }

    /** Low 64 bits of the IPv6 destination address. */
    public static long ipv6DestinationLo(byte[] b, int off) {
        return read(b, off + 32, 8);
    }

    /** fe80::/10, from an address's high 64 bits. */
    public static boolean isIpv6LinkLocal(long hi) {
        return (hi >>> 54) == 0x3FA;
    }

    /** ff00::/8, from an address's high 64 bits. */
    public static boolean isIpv6Multicast(long hi) {
        return (hi >>> 56) == 0xFF;
    }

    /** True if this is long enough for an Ethernet header. */
    public static boolean isEthernet(byte[] b, int off, int len) {
        return len >= ETHER_HEADER;
    }

    /** Destination MAC as the low 48 bits of a long. */
    public static long ethernetDestination(byte[] b, int off) {
        return read(b, off, 6);
    }

    /** Source MAC as the low 48 bits of a long. */
    public static long ethernetSource(byte[] b, int off) {
        return read(b, off + 6, 6);
    }

    /** The EtherType after the MAC addresses (0x8100 for a VLAN tag, not the inner type). */
    public static int etherType(byte[] b, int off) {
        return ((b[off + 12] & 0xff) << 8) | (b[off + 13] & 0xff);
    }

    /** True for broadcast and multicast addresses: the group bit (lowest bit of the first octet) is set. */
    public static boolean isBroadcastOrMulticastMac(long mac) {
        return ((mac >>> 40) & 1) != 0;
    }

    private static long read(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
