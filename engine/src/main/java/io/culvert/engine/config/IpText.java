package io.culvert.engine.config;

import io.culvert.engine.common.Addresses;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.math.BigInteger;

/**
 * Strict IPv4/IPv6 literal parsing and formatting for config values (no name resolution). IPv4 addresses
 * are unsigned 32-bit values held in an {@code int}; IPv6 addresses are 128-bit {@link BigInteger}s.
 * Stateless and thread-safe.
 */
final class IpText {
    static final BigInteger IPV6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private IpText() {}

    /** The dotted quad as an int, or throws INVALID_VALUE naming the directive. */
    static int ipv4(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        Integer v = parseIpv4(s);
        if (v == null) {
            throw ArgValues.invalid(d, "'" + s + "' is not an IPv4 address");
        }
        return v;
    }

    static Integer parseIpv4(String s) {
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

    static String ipv4(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    /** The prefix length of a contiguous netmask, or -1 when the mask has holes. */
    static int maskBits(int mask) {
        int bits = Integer.bitCount(mask);
        return mask == prefixMask(bits) ? bits : -1;
    }

    static int prefixMask(int bits) {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    /** A 16-byte-wide IPv6 literal (with optional embedded IPv4 tail), or null. */
    static BigInteger parseIpv6(String s) {
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

    /** RFC 5952 text of a 128-bit address. */
    static String ipv6(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, b, 16 - n, n);
        return Addresses.rfc5952(b);
    }

    /** {@code ADDR/BITS} with bits in {@code minBits..128}; returns the address and the bits. */
    record Prefix6(BigInteger address, int bits) {}

    static Prefix6 prefix6(Directive d, int index, int minBits, int maxBits, int defaultBits)
            throws OvpnParseException {
        String s = d.arg(index);
        int slash = s.indexOf('/');
        BigInteger a = parseIpv6(slash < 0 ? s : s.substring(0, slash));
        int bits = defaultBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
        }
        if (a == null || bits < 0 || bits > 128) {
            throw ArgValues.invalid(d, "'" + s + "' is not an IPv6 address with prefix length");
        }
        if (bits < minBits || bits > maxBits) {
            throw ArgValues.invalid(d, "prefix length /" + bits + " is out of range /" + minBits + "../" + maxBits);
        }
        return new Prefix6(a, bits);
    }
}
