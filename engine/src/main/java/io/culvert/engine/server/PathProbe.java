package io.culvert.engine.server;

import io.culvert.engine.packet.Checksum;
import java.net.Inet4Address;
import java.util.function.Consumer;

/**
 * The path check's active probe on the server thread (ADR 0044): ICMP echo requests from the server's tunnel address
 * to B with Don't Fragment set, put into the packet switch as if the server's host had sent them, and the matching
 * echo replies taken out of B's traffic before they reach the device (the host never sees them). Sans-I/O: the runner
 * decides when to send and how long to wait. Not thread-safe: the server thread owns it.
 */
final class PathProbe {
    /** IPv4 header plus ICMP echo header: the smallest probe. */
    static final int HEADERS = 28;
    private static final int ICMP = 1;

    /** An echo reply from B: its sequence number and its IPv4 total length. */
    record Reply(int seq, int size) {}

    private final byte[] server;
    private final byte[] target;
    private final int ident;
    private final Consumer<Reply> onReply;

    PathProbe(Inet4Address server, Inet4Address target, int ident, Consumer<Reply> onReply) {
        this.server = server.getAddress();
        this.target = target.getAddress();
        this.ident = ident & 0xffff;
        this.onReply = onReply;
    }

    /** An echo request of {@code size} bytes in all (IPv4 header included), DF set, from the server to B. */
    byte[] request(int seq, int size) {
        if (size < HEADERS || size > 65535) {
            throw new IllegalArgumentException("probe size " + size);
        }
        byte[] p = new byte[size];
        p[0] = 0x45;
        p[2] = (byte) (size >>> 8);
        p[3] = (byte) size;
        p[4] = (byte) (seq >>> 8);
        p[5] = (byte) seq;
        p[6] = 0x40; // Don't Fragment
        p[8] = 64;
        p[9] = ICMP;
        System.arraycopy(server, 0, p, 12, 4);
        System.arraycopy(target, 0, p, 16, 4);
        int ipSum = Checksum.finish(Checksum.sum(p, 0, 20, 0));
        p[10] = (byte) (ipSum >>> 8);
        p[11] = (byte) ipSum;
        p[20] = 8; // echo request
        p[24] = (byte) (ident >>> 8);
        p[25] = (byte) ident;
        p[26] = (byte) (seq >>> 8);
        p[27] = (byte) seq;
        for (int i = HEADERS; i < size; i++) {
            p[i] = (byte) i;
        }
        int icmpSum = Checksum.finish(Checksum.sum(p, 20, size - 20, 0));
        p[22] = (byte) (icmpSum >>> 8);
        p[23] = (byte) icmpSum;
        return p;
    }

    /**
     * Takes the packet when it is B's echo reply to one of these probes (B to the server's tunnel address, this
     * probe's identifier) and tells the listener; false for every other packet, which goes on as usual.
     */
    boolean consume(byte[] b, int off, int len) {
        if (len < HEADERS || (b[off] & 0xff) >>> 4 != 4 || b[off + 9] != ICMP) {
            return false;
        }
        int ihl = (b[off] & 0x0f) * 4;
        if (ihl < 20 || len < ihl + 8 || b[off + ihl] != 0 || !same(b, off + 12, target) || !same(b, off + 16, server)) {
            return false;
        }
        int id = ((b[off + ihl + 4] & 0xff) << 8) | (b[off + ihl + 5] & 0xff);
        if (id != ident) {
            return false;
        }
        int seq = ((b[off + ihl + 6] & 0xff) << 8) | (b[off + ihl + 7] & 0xff);
        int total = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        onReply.accept(new Reply(seq, total));
        return true;
    }

    private static boolean same(byte[] b, int at, byte[] addr) {
        return b[at] == addr[0] && b[at + 1] == addr[1] && b[at + 2] == addr[2] && b[at + 3] == addr[3];
    }
}
