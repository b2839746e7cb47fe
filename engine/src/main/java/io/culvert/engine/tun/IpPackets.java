package io.culvert.engine.tun;

/**
 * Reads the few header fields the data path needs from raw IP packets and Ethernet frames. Callers check
 * {@link #isIpv4}/{@link #isIpv6}/{@link #isEthernet} first; the field readers do no bounds checks of their own.
 * Stateless and thread-safe.
 */
public final class IpPackets {
    public static final int ETHER_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_QINQ = 0x88A8;

    private IpPackets() {}

    /** The IP version nibble of the first byte, or -1 for an empty packet. */
    public static int version(byte[] b, int off, int len) {
        return len < 1 ? -1 : (b[off] & 0xff) >>> 4;
    }

    /** The IP version nibble of the first byte. */
    public static int version(byte[] b, int off) {
        return (b[off] & 0xff) >>> 4;
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
        return readInt(b, off + 12);
    }

    public static int ipv4Destination(byte[] b, int off) {
        return readInt(b, off + 16);
    }

    public static byte[] ipv6Source(byte[] b, int off) {
        return java.util.Arrays.copyOfRange(b, off + 8, off + 24);
    }

    public static byte[] ipv6Destination(byte[] b, int off) {
        return java.util.Arrays.copyOfRange(b, off + 24, off + 40);
    }

    /** True if this is long enough for an Ethernet header. */
    public static boolean isEthernet(byte[] b, int off, int len) {
        return len >= ETHER_HEADER;
    }

    /** Destination MAC as the low 48 bits of a long. */
    public static long ethernetDestination(byte[] b, int off) {
        return readMac(b, off);
    }

    /** Source MAC as the low 48 bits of a long. */
    public static long ethernetSource(byte[] b, int off) {
        return readMac(b, off + 6);
    }

    /** The EtherType after the MAC addresses (0x8100 for a VLAN tag, not the inner type). */
    public static int etherType(byte[] b, int off) {
        return ((b[off + 12] & 0xff) << 8) | (b[off + 13] & 0xff);
    }

    /** True for broadcast and multicast addresses: the group bit (lowest bit of the first octet) is set. */
    public static boolean isBroadcastOrMulticastMac(long mac) {
        return ((mac >>> 40) & 1) != 0;
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static long readMac(byte[] b, int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (b[at + i] & 0xff);
        }
        return mac;
    }
}
