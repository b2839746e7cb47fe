package io.culvert.engine.common;

/**
 * The {@code mssfix} setting as OpenVPN 2.6 reads it: a size and what it measures. Instances are immutable.
 *
 * <ul>
 *   <li>{@code mssfix N mtu} ({@link Mode#MTU}): the whole outer packet — outer IP and UDP/TCP headers, the OpenVPN
 *       header and crypto overhead, the inner packet — fits in N bytes. With tun-mtu 1500 this is the default,
 *       {@code mssfix 1492 mtu}.</li>
 *   <li>{@code mssfix N} ({@link Mode#PAYLOAD}): the same, without the outer IP and UDP/TCP headers.</li>
 *   <li>{@code mssfix N fixed} ({@link Mode#FIXED}): the inner packet fits in N bytes (MSS = N − 40); the default
 *       when tun-mtu is not 1500, with N = tun-mtu.</li>
 *   <li>{@code mssfix 0}: off.</li>
 * </ul>
 *
 * @param value the size in bytes; 0 = off
 * @param mode what {@code value} measures
 */
public record Mssfix(int value, Mode mode) {
    /** OpenVPN 2.6's {@code MSSFIX_DEFAULT}. */
    public static final int DEFAULT_VALUE = 1492;
    /** The tun-mtu for which the default is {@code mssfix 1492 mtu}. */
    public static final int DEFAULT_TUN_MTU = 1500;
    /** {@code mssfix 0}. */
    public static final Mssfix OFF = new Mssfix(0, Mode.PAYLOAD);

    /** What {@link #value} measures. */
    public enum Mode {
        /** The whole outer packet, including the outer IP and UDP/TCP headers. */
        MTU,
        /** The encapsulated packet without the outer IP and UDP/TCP headers. */
        PAYLOAD,
        /** The inner IP packet alone. */
        FIXED
    }

    public Mssfix {
        if (value < 0 || value > 65535 || mode == null) {
            throw new IllegalArgumentException("mssfix " + value + " " + mode);
        }
    }

    /**
     * {@code mssfix value [word]}: no word for {@link Mode#PAYLOAD}, {@code mtu}, or {@code fixed}.
     *
     * @throws IllegalArgumentException for another word or a value out of 0..65535
     */
    public static Mssfix of(int value, String word) {
        Mode mode = switch (word == null ? "" : word) {
            case "" -> Mode.PAYLOAD;
            case "mtu" -> Mode.MTU;
            case "fixed" -> Mode.FIXED;
            default -> throw new IllegalArgumentException("unknown mssfix parameter '" + word + "' (mtu or fixed)");
        };
        return value == 0 ? OFF : new Mssfix(value, mode);
    }

    public boolean off() {
        return value == 0;
    }

    /**
     * The setting in effect: {@code configured}, or, when the config does not set one (null, or a bare
     * {@code mssfix}), OpenVPN's default for {@code tunMtu}: {@code 1492 mtu} with tun-mtu 1500, otherwise
     * {@code tunMtu fixed}.
     */
    public static Mssfix effective(Mssfix configured, int tunMtu) {
        if (configured != null) {
            return configured;
        }
        return tunMtu == DEFAULT_TUN_MTU ? new Mssfix(DEFAULT_VALUE, Mode.MTU) : new Mssfix(tunMtu, Mode.FIXED);
    }

    /** The directive's arguments as a config would spell them ({@code 1492 mtu}, {@code 1400}, {@code 0}). */
    @Override
    public String toString() {
        return switch (mode) {
            case MTU -> value + " mtu";
            case FIXED -> value + " fixed";
            case PAYLOAD -> Integer.toString(value);
        };
    }
}
