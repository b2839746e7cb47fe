package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.VerifyX509Name;

/**
 * What the TLS handshake accepts: the peer certificate checks and the protocol versions and cipher lists.
 * Null fields leave the choice to the TLS library. Instances are immutable.
 *
 * @param remoteCertTls {@code remote-cert-tls server|client}, or null
 * @param nsCertType {@code ns-cert-type server|client} (an X.509 purpose check, as OpenVPN 2.6/2.7 make it), or null
 * @param verifyX509Name {@code verify-x509-name}, or null
 * @param versionMin {@code tls-version-min} ({@code 1.0} ... {@code 1.3}), or null
 * @param versionMax {@code tls-version-max}, or null
 * @param cipherList {@code tls-cipher} (TLS 1.2 and lower), or null
 * @param ciphersuites {@code tls-ciphersuites} (TLS 1.3), or null
 */
public record TlsPolicy(String remoteCertTls, String nsCertType, VerifyX509Name verifyX509Name, String versionMin,
                        String versionMax, String cipherList, String ciphersuites) {
    /** No checks beyond the CA, the library's versions and ciphers. */
    public static final TlsPolicy DEFAULTS = new TlsPolicy(null, null, null, null, null, null, null);
}
