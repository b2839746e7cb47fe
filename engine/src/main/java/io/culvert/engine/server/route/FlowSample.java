package io.culvert.engine.server.route;

/**
 * Packets and bytes delivered from one endpoint to another in one way, since the later of the two joined.
 * Instances are immutable.
 */
public record FlowSample(Endpoint source, Endpoint destination, FlowKind kind, long packets, long bytes) {}
