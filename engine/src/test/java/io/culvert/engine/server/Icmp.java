package io.culvert.engine.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds IPv4 ICMP echo requests and replies with valid checksums for in-memory tunnels. */
final class Icmp {
    private Icmp() {}

    static byte[] echo(String source, String destination, int sequence) {
        return icmp(8, source, destination, sequence);
    }

    /** The echo reply a host at {@code source} sends for {@code echo(destination, source, sequence)}. */
    static byte[] echoReply(String source, String destination, int sequence) {
        return icmp(0, source, destination, sequence);
    }

    private static byte[] icmp(int type, String source, String destination, int sequence) {
        byte[] p = new byte[28 + 32];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(addr(source), 0, p, 12, 4);
        System.arraycopy(addr(destination), 0, p, 16, 4);
        int sum = checksum(p, 0, 20);
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        p[20] = (byte) type;
        p[26] = (byte) (sequence >> 8);
        p[27] = (byte) sequence;
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) i;
        }
        int icmp = checksum(p, 20, p.length - 20);
        p[22] = (byte) (icmp >> 8);
        p[23] = (byte) icmp;
        return p;
    }

    private static byte[] addr(String s) {
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static int checksum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = p[off + i] & 0xff;
            int lo = i + 1 < len ? p[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
