package io.culvert.engine.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A client certificate a server's CA issued: serial, subject common name, validity, the revocation time
 * (null while valid) and the certificate PEM. Never a private key: the constructor refuses PEM that
 * contains one. Immutable.
 */
public record IssuedCertificate(String serverName, BigInteger serial, String commonName,
        Instant notBefore, Instant notAfter, Instant revokedAt, String certPem) {

    public IssuedCertificate {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certPem, "certPem");
        if (serial.signum() < 0) {
            throw new StoreException(StoreException.Kind.INVALID, "serial must not be negative");
        }
        if (certPem.contains("PRIVATE KEY") || !certPem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new StoreException(StoreException.Kind.INVALID, "certPem must hold a certificate and no private key");
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** Valid at {@code now}: inside the validity period and not revoked. */
    public boolean isValidAt(Instant now) {
        return !isRevoked() && !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    /** The same certificate revoked at {@code when}. */
    public IssuedCertificate revoked(Instant when) {
        return new IssuedCertificate(serverName, serial, commonName, notBefore, notAfter, when, certPem);
    }
}
