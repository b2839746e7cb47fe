package io.culvert.engine.server.route;

/**
 * Reads the few IP and Ethernet header fields forwarding needs, straight from the buffer, without allocating.
 * Callers check the length with {@link #ipVersion} or {@link #isEthernet} first. Stateless and thread-safe.
 */
final class Headers {
    private static final int ETHERNET_HEADER = 14;

    private Headers() {}

    /** 4 or 6 when the buffer holds at least that version's fixed header, else -1. */
    static int ipVersion(byte[] b, int off, int len) {
        if (len < 20) {
            return -1;
        }
        int v = (b[off] & 0xff) >>> 4;
        return v == 4 || (v == 6 && len >= 40) ? v : -1;
    }

    static boolean isEthernet(int len) {
        return len >= ETHERNET_HEADER;
    }

    static int ipv4Source(byte[] b, int off) {
        return (int) read(b, off + 12, 4);
    }

    static int ipv4Destination(byte[] b, int off) {
        return (int) read(b, off + 16, 4);
    }

    static long ipv6SourceHi(byte[] b, int off) {
        return read(b, off + 8, 8);
    }

    static long ipv6SourceLo(byte[] b, int off) {
        return read(b, off + 16, 8);
    }

    static long ipv6DestinationHi(byte[] b, int off) {
        return read(b, off + 24, 8);
    }

    static long ipv6DestinationLo(byte[] b, int off) {
        return read(b, off + 32, 8);
    }

    /** fe80::/10. */
    static boolean isIpv6LinkLocal(long hi) {
        return (hi >>> 54) == 0x3FA;
    }

    /** ff00::/8. */
    static boolean isIpv6Multicast(long hi) {
        return (hi >>> 56) == 0xFF;
    }

    static long macDestination(byte[] b, int off) {
        return read(b, off, 6);
    }

    static long macSource(byte[] b, int off) {
        return read(b, off + 6, 6);
    }

    private static long read(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
