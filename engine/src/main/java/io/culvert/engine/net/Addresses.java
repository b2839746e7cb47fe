package io.culvert.engine.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The one place for IP addresses as text and as numbers: strict literal parsing that never touches DNS, text as people
 * (and OpenVPN, through {@code inet_ntop}) write it — IPv6 in RFC 5952 form ({@code fd00::2}), v4-mapped IPv6 as IPv4 —
 * and the numeric forms the config model, the pools and the routing tables compute with: IPv4 as an unsigned 32-bit
 * value in an {@code int}, IPv6 as a 128-bit {@link BigInteger} or as two {@code long}s. Stateless and thread-safe.
 */
public final class Addresses {
    /** The largest IPv6 address as a number. */
    public static final BigInteger IPV6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private Addresses() {}

    // ---- text ------------------------------------------------------------------------------------------------

    /** The address as people read it: IPv6 in RFC 5952 form, v4-mapped IPv6 as IPv4. */
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

    /** An IPv4 address held in an int as a dotted quad. */
    public static String ipv4Text(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    /** RFC 5952 text of a 128-bit address. */
    public static String ipv6Text(BigInteger v) {
        return rfc5952(bytes16(v));
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

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    // ---- parsing ---------------------------------------------------------------------------------------------

    /** Parses an IP literal without ever touching DNS; anything else is an {@link IllegalArgumentException}. */
    public static InetAddress literal(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP literal: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + text, e);
        }
    }

    /** A strict dotted quad (four decimal octets, nothing else) as an int, or null. */
    public static Integer parseIpv4(String s) {
        if (s == null) {
            return null;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return null;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /** A strict IPv6 literal (with an optional embedded IPv4 tail, no zone) as a number, or null. */
    public static BigInteger parseIpv6(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || s.indexOf('%') >= 0) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        BigInteger v = BigInteger.ZERO;
        for (int g : h) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        v = v.shiftLeft(16 * (8 - total));
        for (int g : t) {
            v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        }
        return v;
    }

    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] words = part.split(":", -1);
        int n = words.length;
        Integer v4 = words[n - 1].contains(".") ? parseIpv4(words[n - 1]) : null;
        if (words[n - 1].contains(".") && v4 == null) {
            return null;
        }
        int[] out = new int[v4 != null ? n + 1 : n];
        for (int i = 0; i < (v4 != null ? n - 1 : n); i++) {
            String w = words[i];
            if (w.isEmpty() || w.length() > 4) {
                return null;
            }
            try {
                out[i] = Integer.parseInt(w, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v4 != null) {
            out[n - 1] = v4 >>> 16;
            out[n] = v4 & 0xffff;
        }
        return out;
    }

    // ---- numbers ---------------------------------------------------------------------------------------------

    /** The prefix length of a contiguous IPv4 netmask, or -1 when the mask has holes. */
    public static int maskBits(int mask) {
        int bits = Integer.bitCount(mask);
        return mask == prefixMask(bits) ? bits : -1;
    }

    /** The IPv4 netmask of a prefix length 0..32. */
    public static int prefixMask(int bits) {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    /** The IPv4 address as a signed int in network order. */
    public static int ipv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not IPv4: " + address);
        }
        return (int) word(address.getAddress(), 0, 4);
    }

    /** The IPv4 address of a signed int in network order (the inverse of {@link #ipv4(InetAddress)}). */
    public static Inet4Address ipv4(int v) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    /** High 64 bits of an IPv6 address. */
    public static long ipv6Hi(InetAddress address) {
        return word(ipv6Bytes(address), 0, 8);
    }

    /** Low 64 bits of an IPv6 address. */
    public static long ipv6Lo(InetAddress address) {
        return word(ipv6Bytes(address), 8, 8);
    }

    /** An IPv6 address as a number. */
    public static BigInteger toBig(Inet6Address a) {
        return new BigInteger(1, a.getAddress());
    }

    /** The IPv6 address of a number (its low 128 bits). */
    public static Inet6Address fromBig(BigInteger v) {
        try {
            return (Inet6Address) InetAddress.getByAddress(bytes16(v));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes16(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, b, 16 - n, n);
        return b;
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
}
