package io.culvert.engine.management;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.util.ArrayList;
import java.util.List;

/** A scripted client or server for protocol tests; records kills and signals. Not thread-safe. */
final class FakeTarget implements ManagementTarget {
    final boolean server;
    TrafficStats stats = TrafficStats.builder().tunBytes(100, 200).tunPackets(1, 2).linkBytes(3000, 4000).build();
    List<InstanceInfo> instances = new ArrayList<>();
    final List<Integer> killed = new ArrayList<>();
    final List<Signal> signals = new ArrayList<>();
    /** Path checks asked for, as "from to probe". */
    final List<String> diagnosed = new ArrayList<>();
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

    @Override
    public io.culvert.engine.api.PathCheck diagnose(String from, String to, boolean probe)
            throws io.culvert.engine.api.EngineException {
        diagnosed.add(from + " " + to + " " + probe);
        if (from.equals("nobody")) {
            throw new io.culvert.engine.api.EngineException(io.culvert.engine.api.ErrorKind.NETWORK_UNREACHABLE,
                    "the server is not running");
        }
        return new io.culvert.engine.api.PathCheck(from, to, List.of(
                new io.culvert.engine.api.PathCheck.Step("A connected", io.culvert.engine.api.PathCheck.Hop.SOURCE,
                        io.culvert.engine.api.PathCheck.OK, from + " is connected"),
                new io.culvert.engine.api.PathCheck.Step("pair policy", io.culvert.engine.api.PathCheck.Hop.SERVER,
                        io.culvert.engine.api.PathCheck.FAULT, "the pair policy denies " + from + " -> " + to)), null);
    }
}
