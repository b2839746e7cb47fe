package io.culvert.engine.config;

import java.util.Base64;

/**
 * Where a config's own private key comes from beyond the PEM text: the key's name for messages and prompts,
 * an optional PKCS#12 bundle ({@code pkcs12}, base64 as inline in OpenVPN), and the {@code askpass} file that holds
 * the passphrase. Null fields are absent. {@link #toString()} never prints the bundle. Immutable.
 *
 * @param keyName the {@code key} file as written, {@code "inline <key>"}, or null without a key
 * @param pkcs12Base64 the PKCS#12 bytes in base64, or null
 * @param pkcs12Name the {@code pkcs12} file as written or {@code "inline <pkcs12>"}, or null
 * @param askpassFile the resolved {@code askpass} file, or null to prompt
 */
public record KeySource(String keyName, String pkcs12Base64, String pkcs12Name, String askpassFile) {
    /** No key name, no bundle, no askpass. */
    public static final KeySource NONE = new KeySource(null, null, null, null);

    /** The PKCS#12 bytes, or null when there is no bundle. */
    public byte[] pkcs12() {
        return pkcs12Base64 == null ? null : Base64.getDecoder().decode(pkcs12Base64);
    }

    @Override
    public String toString() {
        return "KeySource[key=" + keyName + ", pkcs12=" + pkcs12Name + ", askpass=" + askpassFile + "]";
    }
}
