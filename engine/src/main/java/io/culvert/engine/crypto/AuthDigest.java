package io.culvert.engine.crypto;

import java.util.Locale;
import java.util.Optional;

/** HMAC digests accepted by {@code --auth}, with their JCE names. Instances are immutable. */
public enum AuthDigest {
    /** HMAC-SHA1, 20 bytes; OpenVPN's default. */
    SHA1("SHA1", "HmacSHA1", 20),
    /** HMAC-SHA224, 28 bytes. */
    SHA224("SHA224", "HmacSHA224", 28),
    /** HMAC-SHA256, 32 bytes. */
    SHA256("SHA256", "HmacSHA256", 32),
    /** HMAC-SHA384, 48 bytes. */
    SHA384("SHA384", "HmacSHA384", 48),
    /** HMAC-SHA512, 64 bytes. */
    SHA512("SHA512", "HmacSHA512", 64),
    /** No authentication (only meaningful for CBC data channels). */
    NONE("none", null, 0);

    private final String openvpnName;
    private final String jceName;
    private final int length;

    AuthDigest(String openvpnName, String jceName, int length) {
        this.openvpnName = openvpnName;
        this.jceName = jceName;
        this.length = length;
    }

    /** Looks up a digest by its OpenVPN name, ignoring case and hyphens ("sha256", "SHA-256"). */
    public static Optional<AuthDigest> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().replace("-", "").toUpperCase(Locale.ROOT);
        for (AuthDigest d : values()) {
            if (d.openvpnName.toUpperCase(Locale.ROOT).equals(n)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** True for the digests this implementation supports, including "none". */
    public static boolean isKnownDigest(String name) {
        return byName(name).isPresent();
    }

    public String openvpnName() {
        return openvpnName;
    }

    /** JCE Mac algorithm, or null for {@link #NONE}. */
    public String jceName() {
        return jceName;
    }

    /** Output and key length in bytes. */
    public int length() {
        return length;
    }
}
