package io.culvert.engine.pki;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * The facts about the current CRL that {@code pki list} shows. Immutable.
 *
 * @param number the CRL number extension
 * @param revokedCount how many serials it lists
 */
public record CrlInfo(BigInteger number, Instant thisUpdate, Instant nextUpdate, int revokedCount) {

    /** Past nextUpdate: OpenSSL-based servers then refuse every client. */
    public boolean expired(Instant now) {
        return !now.isBefore(nextUpdate);
    }

    public boolean expiresWithin(Instant now, Duration window) {
        return nextUpdate.isBefore(now.plus(window));
    }
}
