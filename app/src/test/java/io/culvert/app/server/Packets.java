package io.culvert.app.server;

/** Builds test IPv4 packets. Stateless. */
final class Packets {
    private Packets() {}

    /** An IPv4/UDP datagram of {@code size} bytes (header checksum set, UDP checksum zero). */
    static byte[] udp(String src, String dst, int size) {
        byte[] p = new byte[size];
        p[0] = 0x45;
        p[2] = (byte) (size >> 8);
        p[3] = (byte) size;
        p[8] = 64;
        p[9] = 17;
        put(p, 12, src);
        put(p, 16, dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (p[i] & 255) << 8 | (p[i + 1] & 255);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum = ~sum & 0xffff;
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        p[20] = 0x13;
        p[21] = (byte) 0x88;
        p[23] = 9;
        int udpLength = size - 20;
        p[24] = (byte) (udpLength >> 8);
        p[25] = (byte) udpLength;
        return p;
    }

    private static void put(byte[] p, int at, String ipv4) {
        String[] parts = ipv4.split("\\.");
        for (int i = 0; i < 4; i++) {
            p[at + i] = (byte) Integer.parseInt(parts[i]);
        }
    }
}
