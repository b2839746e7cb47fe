package io.culvert.engine.config;

/**
 * The certificates and private key of the TLS control channel: {@code ca}, {@code cert}, {@code key},
 * {@code extra-certs}, and where the key comes from beyond its PEM text ({@code pkcs12}, {@code askpass}).
 * Null fields are absent. {@link #toString()} never prints key material. Instances are immutable.
 *
 * @param caPem the CA certificates that verify the peer
 * @param certPem this end's certificate
 * @param keyPem this end's private key
 * @param extraCertsPem intermediate certificates sent with {@code certPem}
 * @param keySource the key's name, PKCS#12 bundle and askpass file ({@link KeySource#NONE} when none)
 * @param caPath {@code capath}: a folder of CA certificates and CRLs under OpenSSL's hashed names
 *               ({@code openssl rehash}), as an absolute path, or null
 */
public record TlsKeys(String caPem, String certPem, String keyPem, String extraCertsPem, KeySource keySource,
                      String caPath) {
    /** No keys at all. */
    public static final TlsKeys NONE = new TlsKeys(null, null, null, null, KeySource.NONE);

    /** Without {@code capath}. */
    public TlsKeys(String caPem, String certPem, String keyPem, String extraCertsPem, KeySource keySource) {
        this(caPem, certPem, keyPem, extraCertsPem, keySource, null);
    }

    @Override
    public String toString() {
        return "TlsKeys[ca=" + (caPem != null) + ", cert=" + (certPem != null) + ", key=" + (keyPem != null)
                + ", extraCerts=" + (extraCertsPem != null) + ", " + keySource + ", capath=" + caPath + "]";
    }
}
