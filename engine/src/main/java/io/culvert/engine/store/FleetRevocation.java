package io.culvert.engine.store;

import java.math.BigInteger;
import java.time.Instant;

/** A certificate revoked for the whole fleet. */
public record FleetRevocation(BigInteger serial, String commonName, Instant revokedAt) {}
