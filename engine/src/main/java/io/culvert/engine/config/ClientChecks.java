package io.culvert.engine.config;

import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import java.util.List;

/**
 * How the server admits a client: its certificate, revocation lists and password check. Instances are immutable;
 * {@link #toString()} never prints the CRL text.
 *
 * @param verifyClientCert {@code verify-client-cert}
 * @param crlPem the {@code crl-verify} CRL text, or null
 * @param crlDir {@code crl-verify DIR dir} resolved, or null
 * @param crlFile the CRL file the server re-reads when it changes, or null (inline or none)
 * @param usernameAsCommonName {@code username-as-common-name}
 * @param authUserPassVerify {@code auth-user-pass-verify SCRIPT METHOD}, or empty
 * @param authUserPassOptional {@code auth-user-pass-optional}
 * @param usernameFields {@code x509-username-field}: the certificate fields whose values, joined by {@code _}, are
 *                       the client's common name (OpenVPN's default: {@code CN})
 */
public record ClientChecks(VerifyClientCert verifyClientCert, String crlPem, String crlDir, String crlFile,
                           boolean usernameAsCommonName, List<String> authUserPassVerify,
                           boolean authUserPassOptional, List<String> usernameFields) {
    /** OpenVPN's {@code X509_USERNAME_FIELD_DEFAULT}. */
    public static final List<String> DEFAULT_USERNAME_FIELDS = List.of("CN");
    /** A certificate is required; no CRL, no password check. */
    public static final ClientChecks DEFAULTS =
            new ClientChecks(VerifyClientCert.REQUIRE, null, null, null, false, List.of(), false, DEFAULT_USERNAME_FIELDS);

    public ClientChecks {
        authUserPassVerify = List.copyOf(authUserPassVerify);
        usernameFields = List.copyOf(usernameFields);
    }

    /** With the common name from {@code CN}. */
    public ClientChecks(VerifyClientCert verifyClientCert, String crlPem, String crlDir, String crlFile,
                        boolean usernameAsCommonName, List<String> authUserPassVerify, boolean authUserPassOptional) {
        this(verifyClientCert, crlPem, crlDir, crlFile, usernameAsCommonName, authUserPassVerify, authUserPassOptional,
                DEFAULT_USERNAME_FIELDS);
    }

    @Override
    public String toString() {
        return "ClientChecks[" + verifyClientCert + ", crl=" + (crlPem != null) + ", crlDir=" + crlDir + ", crlFile="
                + crlFile + ", usernameAsCommonName=" + usernameAsCommonName + ", authUserPassVerify="
                + authUserPassVerify + ", optional=" + authUserPassOptional + "]";
    }
}
