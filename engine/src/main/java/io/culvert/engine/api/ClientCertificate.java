package io.culvert.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A client certificate a server's CA issued, as the server manager lists it. Immutable.
 *
 * @param serialHex the serial number in upper-case hex
 * @param revokedAt when it was revoked, or null while not revoked
 */
public record ClientCertificate(String commonName, String serialHex, Instant notBefore, Instant notAfter, Instant revokedAt) {

    public ClientCertificate {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(serialHex, "serialHex");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    /** What a certificate is good for at a given moment. */
    public enum Status {
        /** Usable. */
        VALID,
        /** Usable, but expires within the warning window. */
        EXPIRING,
        /** Past its notAfter. */
        EXPIRED,
        /** Revoked by the administrator. */
        REVOKED
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public Status status(Instant now, Duration warnWithin) {
        if (revoked()) {
            return Status.REVOKED;
        }
        if (!now.isBefore(notAfter)) {
            return Status.EXPIRED;
        }
        return notAfter.isBefore(now.plus(warnWithin)) ? Status.EXPIRING : Status.VALID;
    }
}
