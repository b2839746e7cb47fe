package io.culvert.engine.server.pool;

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
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(i, j - 1);
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

    static boolean same(Inet6Address a, Inet6Address b) {
        return Arrays.equals(a.getAddress(), b.getAddress());
    }
}
