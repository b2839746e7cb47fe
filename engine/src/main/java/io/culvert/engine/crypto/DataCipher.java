package io.culvert.engine.crypto;

import java.util.Locale;
import java.util.Optional;

/** Data-channel ciphers this implementation speaks, by OpenVPN name. Instances are immutable. */
public enum DataCipher {
    /** AES-128 in GCM mode. */
    AES_128_GCM("AES-128-GCM", true, 16, "AES/GCM/NoPadding", "AES"),
    /** AES-192 in GCM mode. */
    AES_192_GCM("AES-192-GCM", true, 24, "AES/GCM/NoPadding", "AES"),
    /** AES-256 in GCM mode; OpenVPN 2.6's preferred cipher. */
    AES_256_GCM("AES-256-GCM", true, 32, "AES/GCM/NoPadding", "AES"),
    /** ChaCha20 with Poly1305 (RFC 8439). */
    CHACHA20_POLY1305("CHACHA20-POLY1305", true, 32, "ChaCha20-Poly1305", "ChaCha20"),
    /** AES-128-CBC with a separate HMAC. */
    AES_128_CBC("AES-128-CBC", false, 16, "AES/CBC/PKCS5Padding", "AES"),
    /** AES-192-CBC with a separate HMAC. */
    AES_192_CBC("AES-192-CBC", false, 24, "AES/CBC/PKCS5Padding", "AES"),
    /** AES-256-CBC with a separate HMAC. */
    AES_256_CBC("AES-256-CBC", false, 32, "AES/CBC/PKCS5Padding", "AES");

    /** Test-only system property: a lower AEAD usage limit (see {@link #usageLimit()}). */
    static final String USAGE_LIMIT_PROPERTY = "culvert.test.aeadUsageLimit";

    private final String openvpnName;
    private final boolean aead;
    private final int keyLength;
    private final String transformation;
    private final String keyAlgorithm;

    DataCipher(String openvpnName, boolean aead, int keyLength, String transformation, String keyAlgorithm) {
        this.openvpnName = openvpnName;
        this.aead = aead;
        this.keyLength = keyLength;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** Case-insensitive lookup by OpenVPN name ("aes-256-gcm", "ChaCha20-Poly1305"). */
    public static Optional<DataCipher> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (DataCipher c : values()) {
            if (c.openvpnName.equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** True for the auth digests OpenVPN accepts with {@code --auth} (SHA1 … SHA512, none). */
    public static boolean isKnownDigest(String name) {
        return AuthDigest.isKnownDigest(name);
    }

    public String openvpnName() {
        return openvpnName;
    }

    public boolean aead() {
        return aead;
    }

    /** Cipher key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /**
     * OpenVPN 2.7's usage limit for one key of this cipher, in 16-byte blocks plus packets: 2^36 - 1 for AES-GCM
     * (q + s <= p^(1/2) * 2^(129/2) - 1 with p = 2^-57), none (0) for ChaCha20-Poly1305 and CBC. The test-only system
     * property {@value #USAGE_LIMIT_PROPERTY} lowers it, to force key switchovers in a short run.
     */
    long usageLimit() {
        long standard = aead && this != CHACHA20_POLY1305 ? (1L << 36) - 1 : 0;
        Long forced = Long.getLong(USAGE_LIMIT_PROPERTY);
        return forced != null && forced > 0 && aead ? forced : standard;
    }

    String transformation() {
        return transformation;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }
}
