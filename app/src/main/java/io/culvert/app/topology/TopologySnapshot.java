package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.util.List;

/**
 * One poll of a server's counters. Immutable.
 *
 * @param nanos when it was taken ({@link System#nanoTime()} scale; rates divide by differences of it)
 * @param server the source's name and listen address, for the hub's label
 */
public record TopologySnapshot(long nanos, String server, List<InstanceInfo> instances, List<FlowEdge> flows) {
    public TopologySnapshot {
        instances = List.copyOf(instances);
        flows = List.copyOf(flows);
    }
}
