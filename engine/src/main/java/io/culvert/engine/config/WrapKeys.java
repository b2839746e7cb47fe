package io.culvert.engine.config;

/**
 * The control-channel wrapping, at most one of {@code tls-auth}, {@code tls-crypt} and {@code tls-crypt-v2}
 * (the readers refuse more), with {@code key-direction} and the server's {@code tls-crypt-v2-max-age}.
 * {@link #toString()} never prints a key. Instances are immutable.
 *
 * @param tlsAuthKey the {@code tls-auth} static key text, or null
 * @param keyDirection {@code key-direction} (or the tls-auth argument), or null for bidirectional
 * @param tlsCryptKey the {@code tls-crypt} static key text, or null
 * @param tlsCryptV2Key the {@code tls-crypt-v2} PEM text (a client key on a client, the server key on a server), or null
 * @param tlsCryptV2MaxAgeDays the age in days above which a server refuses a client key (0 = no limit)
 */
public record WrapKeys(String tlsAuthKey, Integer keyDirection, String tlsCryptKey, String tlsCryptV2Key,
                       int tlsCryptV2MaxAgeDays) {
    /** No wrapping. */
    public static final WrapKeys NONE = new WrapKeys(null, null, null, null, 0);

    @Override
    public String toString() {
        return "WrapKeys[tlsAuth=" + (tlsAuthKey != null) + ", keyDirection=" + keyDirection + ", tlsCrypt="
                + (tlsCryptKey != null) + ", tlsCryptV2=" + (tlsCryptV2Key != null) + ", maxAgeDays=" + tlsCryptV2MaxAgeDays
                + "]";
    }
}
