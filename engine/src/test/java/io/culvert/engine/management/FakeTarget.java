package io.culvert.engine.management;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A scripted client or server for protocol tests; records kills and signals. Not thread-safe. */
final class FakeTarget implements ManagementTarget {
    final boolean server;
    TrafficStats stats = new TrafficStats(100, 200, 1, 2, 3000, 4000, Map.of());
    List<InstanceInfo> instances = new ArrayList<>();
    final List<Integer> killed = new ArrayList<>();
    final List<Signal> signals = new ArrayList<>();
    /** PUSH_UPDATEs asked for, as "cid options". */
    final List<String> updates = new ArrayList<>();

    FakeTarget(boolean server) {
        this.server = server;
    }

    @Override
    public boolean server() {
        return server;
    }

    @Override
    public TrafficStats stats() {
        return stats;
    }

    @Override
    public List<InstanceInfo> instances() {
        return instances;
    }

    @Override
    public boolean tap() {
        return false;
    }

    @Override
    public boolean kill(int clientId) {
        if (instances.stream().noneMatch(i -> i.peerId() == clientId)) {
            return false;
        }
        killed.add(clientId);
        return true;
    }

    @Override
    public void signal(Signal signal) {
        signals.add(signal);
    }

    @Override
    public int pushUpdate(long clientId, String options) {
        if (options.contains("cipher")) {
            throw new IllegalArgumentException("'cipher AES-128-GCM' is not an option a PUSH_UPDATE may carry");
        }
        updates.add(clientId + " " + options);
        return clientId < 0 ? instances.size() : (int) instances.stream().filter(i -> i.peerId() == clientId).count();
    }
}
