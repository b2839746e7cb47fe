package io.culvert.engine.store;

import java.math.BigInteger;
import java.time.Instant;

/** A certificate the fleet's CA issued, recorded so every admin machine sees it. */
public record FleetCertificate(BigInteger serial, String commonName, Instant issuedAt, Instant notAfter, String pem) {}
