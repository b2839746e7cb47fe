package io.culvert.engine.demo;

/** Builds the IPv4 packets the demo injects (UDP datagrams, ICMP echo requests and replies) with valid checksums. Stateless. */
final class Packets {
    private static final int IP_HEADER = 20;
    private static final int ICMP = 1;
    private static final int UDP = 17;

    private Packets() {}

    /** A UDP datagram of {@code size} bytes in total (at least 28). */
    static byte[] udp(int source, int destination, int sourcePort, int destinationPort, int size) {
        byte[] p = ipv4(source, destination, UDP, Math.max(size, IP_HEADER + 8));
        int udpLength = p.length - IP_HEADER;
        put16(p, IP_HEADER, sourcePort);
        put16(p, IP_HEADER + 2, destinationPort);
        put16(p, IP_HEADER + 4, udpLength);
        // UDP checksum 0 = "not computed", valid for IPv4.
        return p;
    }

    /** An ICMP echo request of {@code size} bytes in total (at least 28). */
    static byte[] echoRequest(int source, int destination, int sequence, int size) {
        byte[] p = ipv4(source, destination, ICMP, Math.max(size, IP_HEADER + 8));
        p[IP_HEADER] = 8;
        put16(p, IP_HEADER + 4, 0x4356); // identifier "CV"
        put16(p, IP_HEADER + 6, sequence);
        put16(p, IP_HEADER + 2, checksum(p, IP_HEADER, p.length - IP_HEADER));
        return p;
    }

    /** True for an IPv4 ICMP echo request. */
    static boolean isEchoRequest(byte[] p) {
        return p.length >= IP_HEADER + 8 && (p[0] & 0xff) == 0x45 && p[9] == ICMP && p[IP_HEADER] == 8;
    }

    /** The reply a host sends for echo request {@code request}. */
    static byte[] echoReply(byte[] request) {
        byte[] p = request.clone();
        System.arraycopy(request, 16, p, 12, 4);
        System.arraycopy(request, 12, p, 16, 4);
        p[IP_HEADER] = 0;
        p[IP_HEADER + 2] = 0;
        p[IP_HEADER + 3] = 0;
        put16(p, IP_HEADER + 2, checksum(p, IP_HEADER, p.length - IP_HEADER));
        return p;
    }

    /** Dotted-quad text to an int. */
    static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int a = 0;
        for (String part : parts) {
            a = a << 8 | Integer.parseInt(part) & 0xff;
        }
        return a;
    }

    private static byte[] ipv4(int source, int destination, int protocol, int size) {
        byte[] p = new byte[size];
        p[0] = 0x45;
        put16(p, 2, size);
        p[8] = 64;
        p[9] = (byte) protocol;
        put32(p, 12, source);
        put32(p, 16, destination);
        put16(p, 10, checksum(p, 0, IP_HEADER));
        for (int i = IP_HEADER + 8; i < size; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >> 8);
        p[off + 1] = (byte) v;
    }

    private static void put32(byte[] p, int off, int v) {
        put16(p, off, v >>> 16);
        put16(p, off + 2, v);
    }

    static int checksum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = p[off + i] & 0xff;
            int lo = i + 1 < len ? p[off + i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
