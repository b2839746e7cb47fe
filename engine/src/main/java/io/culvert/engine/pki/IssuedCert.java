package io.culvert.engine.pki;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the CA's index: a certificate it issued, and whether and why it was revoked. Immutable.
 *
 * @param serial the certificate serial number
 * @param revokedAt when it was revoked, or null
 * @param reason why, or null when not revoked
 */
public record IssuedCert(BigInteger serial, String commonName, CertKind kind, Instant notBefore, Instant notAfter,
        Instant revokedAt, RevokeReason reason) {

    public IssuedCert {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        if ((revokedAt == null) != (reason == null)) {
            throw new IllegalArgumentException("revokedAt and reason go together");
        }
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(notAfter);
    }

    /** Neither revoked nor expired at {@code now}. */
    public boolean valid(Instant now) {
        return !revoked() && !expired(now) && !now.isBefore(notBefore);
    }

    /** Valid but expiring within {@code window} of {@code now}. */
    public boolean expiresWithin(Instant now, Duration window) {
        return valid(now) && notAfter.isBefore(now.plus(window));
    }

    public IssuedCert revoke(Instant at, RevokeReason why) {
        return new IssuedCert(serial, commonName, kind, notBefore, notAfter, at, why);
    }

    /** The serial as upper-case hex, the form openssl prints. */
    public String serialHex() {
        return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
    }
}
