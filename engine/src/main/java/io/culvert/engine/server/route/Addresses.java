package io.culvert.engine.server.route;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Conversions between {@link InetAddress} and the two-long keys the lookup tables use. Stateless and thread-safe. */
final class Addresses {
    private Addresses() {}

    /** The IPv4 address as a signed int in network order. */
    static int ipv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not IPv4: " + address);
        }
        byte[] b = address.getAddress();
        return (int) word(b, 0, 4);
    }

    /** High 64 bits of an IPv6 address. */
    static long ipv6Hi(InetAddress address) {
        return word(ipv6Bytes(address), 0, 8);
    }

    /** Low 64 bits of an IPv6 address. */
    static long ipv6Lo(InetAddress address) {
        return word(ipv6Bytes(address), 8, 8);
    }

    static InetAddress ipv4(int address) {
        return of(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }

    static InetAddress ipv6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return of(b);
    }

    /** Parses an IP literal without ever touching DNS. */
    static InetAddress literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }

    private static byte[] ipv6Bytes(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            throw new IllegalArgumentException("not IPv6: " + address);
        }
        return b;
    }

    private static long word(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    private static InetAddress of(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
