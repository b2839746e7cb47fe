package io.culvert.engine.pki;

/**
 * A certificate and its private key, as PEM. Immutable; {@link #toString()} never shows the key.
 *
 * @param certificatePem the certificate
 * @param keyPem the unencrypted PKCS#8 private key
 */
public record Credentials(String commonName, String certificatePem, String keyPem) {
    @Override
    public String toString() {
        return "Credentials[" + commonName + ", key hidden]";
    }
}
