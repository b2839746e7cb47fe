package io.culvert.engine.server.route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow counters at one moment: per live instance totals (in id order) and every non-zero (source, destination,
 * kind) counter. Instances are immutable.
 */
public record FlowSnapshot(Map<InstanceId, InstanceTotals> instances, List<FlowSample> flows) {
    public FlowSnapshot {
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
        flows = List.copyOf(flows);
    }
}
