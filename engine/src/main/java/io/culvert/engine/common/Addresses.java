package io.culvert.engine.common;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as people read them: IPv6 in RFC 5952 form ({@code fd00::2}), v4-mapped IPv6 as IPv4. Stateless. */
public final class Addresses {
    private Addresses() {}

    public static String text(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (isV4Mapped(b)) {
                return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            return rfc5952(b);
        }
        return a.getHostAddress();
    }

    /** {@code 192.0.2.7:1194} or {@code [fd00::2]:1194}. */
    public static String text(InetSocketAddress s) {
        if (s.getAddress() == null) {
            return s.getHostString() + ":" + s.getPort();
        }
        String host = text(s.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.getPort();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** The 16 bytes of an IPv6 address in RFC 5952 form: lower case, the longest run of two or more zero groups as {@code ::}. */
    public static String rfc5952(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
