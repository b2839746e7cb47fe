package io.culvert.engine.store;

import io.culvert.engine.api.FlowEdge;

/**
 * One directed edge of a fleet server's topology as that server last reported it (see {@link FlowEdge}).
 *
 * @param server the fleet server's name
 * @param source a peer-id on that server, or {@link FlowEdge#SERVER}
 * @param destination a peer-id on that server, or {@link FlowEdge#SERVER}
 */
public record FleetFlow(String server, int source, int destination, FlowEdge.Kind kind, long packets, long bytes) {}
