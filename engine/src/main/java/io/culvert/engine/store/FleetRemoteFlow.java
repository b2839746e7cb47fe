package io.culvert.engine.store;

/**
 * Traffic a fleet server's client sent out through that server's device to an address inside another server's pool,
 * as the server last reported it (ADR 0056). Instances are immutable.
 *
 * @param server the fleet server's name
 * @param source a peer-id on that server
 * @param destination the IPv4 address, as text
 */
public record FleetRemoteFlow(String server, int source, String destination, long packets, long bytes) {}
