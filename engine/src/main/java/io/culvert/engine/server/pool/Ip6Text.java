package io.culvert.engine.server.pool;

import io.culvert.engine.common.Addresses;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** IPv6 arithmetic and RFC 5952 text (what OpenVPN prints via inet_ntop). Stateless and thread-safe. */
final class Ip6Text {
    private Ip6Text() {}

    static BigInteger toBig(Inet6Address a) {
        return new BigInteger(1, a.getAddress());
    }

    static Inet6Address fromBig(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, out, 16 - n, n);
        try {
            return (Inet6Address) InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(Inet6Address a) {
        return Addresses.rfc5952(a.getAddress());
    }

    static boolean same(Inet6Address a, Inet6Address b) {
        return Arrays.equals(a.getAddress(), b.getAddress());
    }
}
