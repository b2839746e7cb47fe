package io.culvert.engine.store;

import java.math.BigInteger;

/** What a fleet listener hears when another process commits a change (LISTEN/NOTIFY, ADR 0048). */
public sealed interface FleetEvent {
    /** A certificate was revoked for the whole fleet. */
    record Revoked(BigInteger serial) implements FleetEvent {}

    /** A client's routes (or other per-client settings) changed; read them with {@link FleetRepository#client}. */
    record ClientChanged(String commonName) implements FleetEvent {}
}
