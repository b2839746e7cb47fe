package io.culvert.engine.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over byte arrays: unfolded partial sums that can be added, the fold to 16 bits,
 * and the TCP/UDP pseudo-header sums for IPv4 and IPv6. Stateless and thread-safe; nothing allocates.
 */
public final class Checksum {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {}

    /**
     * The one's-complement sum of {@code len} bytes from {@code off}, as 16-bit big-endian words (an odd last byte is
     * padded with zero), added to {@code initial}; unfolded. Sums are added with {@code +} and folded once at the end.
     */
    public static long sum(byte[] b, int off, int len, long initial) {
        long acc = initial;
        int i = off;
        // Eight bytes at a time as two 32-bit words: 2^32 = 1 (mod 0xffff), so they add like four 16-bit words.
        int end8 = off + (len & ~7);
        while (i < end8) {
            long v = (long) LONG.get(b, i);
            acc += (v >>> 32) + (v & 0xffffffffL);
            i += 8;
        }
        if ((len & 4) != 0) {
            acc += (int) INT.get(b, i) & 0xffffffffL;
            i += 4;
        }
        if ((len & 2) != 0) {
            acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) {
            acc += (b[i] & 0xff) << 8;
        }
        return acc;
    }

    /** Folds an unfolded sum to 16 bits (the end-around carry), without complementing it. */
    public static int fold(long sum) {
        long s = (sum & 0xffffffffL) + (sum >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** The checksum field value for an unfolded sum: the complement of the fold. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** The IPv4 pseudo-header sum: source and destination at {@code ip + 12}, protocol, transport length. */
    public static long pseudoHeaderV4(byte[] b, int ip, int protocol, int transportLength) {
        return sum(b, ip + 12, 8, protocol + transportLength);
    }

    /** The IPv6 pseudo-header sum: source and destination at {@code ip + 8}, next header, transport length. */
    public static long pseudoHeaderV6(byte[] b, int ip, int protocol, int transportLength) {
        return sum(b, ip + 8, 32, protocol + transportLength);
    }

    /** Recomputes an IPv4 header's checksum in place (the header at {@code ip}, {@code ihl} bytes). */
    public static void fixIpv4Header(byte[] b, int ip, int ihl) {
        b[ip + 10] = 0;
        b[ip + 11] = 0;
        put16(b, ip + 10, finish(sum(b, ip, ihl, 0)));
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
