package io.culvert.engine.server.route;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address held in the low bits of a long (first octet most significant). Instances are immutable.
 */
public record MacAddress(long bits) {
    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    public MacAddress {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("more than 48 bits: " + Long.toHexString(bits));
        }
    }

    /** Parses {@code 02:00:5e:10:00:01} (colons or dashes). */
    public static MacAddress parse(String text) {
        String hex = text.replace(":", "").replace("-", "");
        if (hex.length() != 12) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return new MacAddress(HexFormat.fromHexDigitsToLong(hex));
    }

    /** True for broadcast and multicast addresses (the I/G bit, lowest bit of the first octet). */
    public boolean isGroup() {
        return isGroup(bits);
    }

    static boolean isGroup(long bits) {
        return ((bits >>> 40) & 1) != 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                s.append(':');
            }
            s.append(HexFormat.of().toHexDigits((byte) (bits >>> shift)));
        }
        return s.toString();
    }
}
