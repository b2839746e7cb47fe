package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;

/**
 * The current rate on one directed edge, from the counter difference between two snapshots. Immutable.
 *
 * @param source a peer-id or {@link FlowEdge#SERVER}
 * @param destination a peer-id or {@link FlowEdge#SERVER}
 * @param totalBytes the counter itself (bytes since the source connected)
 */
public record EdgeRate(int source, int destination, FlowEdge.Kind kind, double packetsPerSecond, double bytesPerSecond,
        long totalBytes) {}
