package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.util.List;
import java.util.Set;

/**
 * One poll of a server's counters, or of a fleet's (issue 15): then every server is a {@link Hub} of its own, its
 * instances' peer-ids are made unique across the fleet, and {@link FlowEdge#SERVER} in a flow is the hub of the
 * instance at its other end. Immutable.
 *
 * @param nanos when it was taken ({@link System#nanoTime()} scale; rates divide by differences of it)
 * @param server the source's name and listen address, for the hub's label
 * @param hubs the fleet's servers, each with the peer-ids of its instances; empty for one server (one hub)
 */
public record TopologySnapshot(long nanos, String server, List<InstanceInfo> instances, List<FlowEdge> flows, List<Hub> hubs) {
    public TopologySnapshot {
        instances = List.copyOf(instances);
        flows = List.copyOf(flows);
        hubs = List.copyOf(hubs);
    }

    /** One server's snapshot: one hub. */
    public TopologySnapshot(long nanos, String server, List<InstanceInfo> instances, List<FlowEdge> flows) {
        this(nanos, server, instances, flows, List.of());
    }

    /**
     * A server of a fleet, drawn as a hub of its own.
     *
     * @param name the server's name (the hub's title)
     * @param caption the line under it (its clients and health)
     * @param peers the peer-ids (unique in the snapshot) of the instances connected to it
     */
    public record Hub(String name, String caption, Set<Integer> peers) {
        public Hub {
            peers = Set.copyOf(peers);
        }
    }
}
