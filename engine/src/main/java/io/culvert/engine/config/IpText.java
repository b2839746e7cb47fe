package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.math.BigInteger;

/**
 * Directive arguments that are IPv4 addresses or IPv6 prefixes, read with {@link Addresses}' strict parsers (no name
 * resolution), errors naming the directive. Stateless and thread-safe.
 */
final class IpText {
    private IpText() {}

    /** The dotted quad as an int, or throws INVALID_VALUE naming the directive. */
    static int ipv4(Directive d, int index) throws OvpnParseException {
        String s = d.arg(index);
        Integer v = Addresses.parseIpv4(s);
        if (v == null) {
            throw ArgValues.invalid(d, "'" + s + "' is not an IPv4 address");
        }
        return v;
    }

    /** {@code ADDR/BITS} with bits in {@code minBits..128}; returns the address and the bits. */
    record Prefix6(BigInteger address, int bits) {}

    static Prefix6 prefix6(Directive d, int index, int minBits, int maxBits, int defaultBits)
            throws OvpnParseException {
        String s = d.arg(index);
        int slash = s.indexOf('/');
        BigInteger a = Addresses.parseIpv6(slash < 0 ? s : s.substring(0, slash));
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
