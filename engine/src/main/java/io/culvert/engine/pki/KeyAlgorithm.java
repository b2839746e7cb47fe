package io.culvert.engine.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** Key types the CA creates, each with the signature algorithm it signs with. */
public enum KeyAlgorithm {
    /** ECDSA on NIST P-256 (secp256r1) with SHA-256; the default. */
    EC_P256("ec", "SHA256withECDSA"),
    /** RSA 2048 bits with SHA-256. */
    RSA_2048("rsa2048", "SHA256withRSA"),
    /** RSA 3072 bits with SHA-256. */
    RSA_3072("rsa3072", "SHA256withRSA");

    private final String cliName;
    private final String signatureAlgorithm;

    KeyAlgorithm(String cliName, String signatureAlgorithm) {
        this.cliName = cliName;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The name the CLI accepts ({@code ec}, {@code rsa2048}, {@code rsa3072}). */
    public String cliName() {
        return cliName;
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public boolean isEc() {
        return this == EC_P256;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(isEc() ? "EC" : "RSA");
            if (isEc()) {
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                g.initialize(this == RSA_2048 ? 2048 : 3072, random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    /** The algorithm of an existing key (used to issue certificates with the CA's own key type). */
    public static KeyAlgorithm of(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return EC_P256;
        }
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() > 2048 ? RSA_3072 : RSA_2048;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    /** Parses a CLI name ({@code ec}, {@code p256}, {@code rsa2048}, {@code rsa3072}, {@code rsa}); empty if unknown. */
    public static java.util.Optional<KeyAlgorithm> parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ec", "p256", "p-256", "ec-p256", "prime256v1", "secp256r1" -> java.util.Optional.of(EC_P256);
            case "rsa", "rsa2048", "rsa-2048" -> java.util.Optional.of(RSA_2048);
            case "rsa3072", "rsa-3072" -> java.util.Optional.of(RSA_3072);
            default -> java.util.Optional.empty();
        };
    }
}
