package io.culvert.engine.server.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Traffic counters for the topology view: per instance totals, and per (source, destination, kind) deliveries where an
 * endpoint is an instance or {@link Endpoint#SERVER}. Only registered instances are counted. Incrementing an existing
 * counter allocates nothing; the first packet of a new (source, destination) pair creates its counter.
 *
 * <p>Thread-safe: data-plane threads may count concurrently while any thread takes a {@link #snapshot()}. A snapshot
 * reads the counters one by one, so packets and bytes of one sample may be a few packets apart.
 */
public final class FlowCounters {
    private static final int PACKETS_IN = 0;
    private static final int BYTES_IN = 1;
    private static final int PACKETS_OUT = 2;
    private static final int BYTES_OUT = 3;
    private static final int KINDS = FlowKind.values().length;
    private static final Comparator<Endpoint> ENDPOINT_ORDER = Comparator.comparingInt(
            e -> e instanceof InstanceId id ? id.value() : -1);

    /** Counters of one source: its totals (instances only) and one [packets, bytes] × kind array per destination. */
    private static final class Node {
        final AtomicLongArray totals = new AtomicLongArray(4);
        final ConcurrentHashMap<Endpoint, AtomicLongArray> out = new ConcurrentHashMap<>();
    }

    private final ConcurrentHashMap<InstanceId, Node> instances = new ConcurrentHashMap<>();
    private final Node server = new Node();

    /** Starts counting for the instance (from zero if it was forgotten before). */
    public void register(InstanceId id) {
        instances.putIfAbsent(id, new Node());
    }

    /** Stops counting for the instance, drops every counter it is part of, and returns its final totals. */
    public InstanceTotals forget(InstanceId id) {
        Node gone = instances.remove(id);
        server.out.remove(id);
        for (Node n : instances.values()) {
            n.out.remove(id);
        }
        return gone == null ? InstanceTotals.ZERO : totals(gone);
    }

    /** Counts a packet the server received from the instance. */
    public void countIn(InstanceId id, int bytes) {
        Node n = instances.get(id);
        if (n != null) {
            n.totals.getAndIncrement(PACKETS_IN);
            n.totals.getAndAdd(BYTES_IN, bytes);
        }
    }

    /** Counts a packet the server sent to the instance. */
    public void countOut(InstanceId id, int bytes) {
        Node n = instances.get(id);
        if (n != null) {
            n.totals.getAndIncrement(PACKETS_OUT);
            n.totals.getAndAdd(BYTES_OUT, bytes);
        }
    }

    /** Counts one delivery from {@code source} to {@code destination}; ignored if either is an unregistered instance. */
    public void countFlow(Endpoint source, Endpoint destination, FlowKind kind, int bytes) {
        Node n = source instanceof InstanceId id ? instances.get(id) : server;
        if (n == null || (destination instanceof InstanceId d && !instances.containsKey(d))) {
            return;
        }
        AtomicLongArray c = n.out.get(destination);
        if (c == null) {
            c = n.out.computeIfAbsent(destination, k -> new AtomicLongArray(2 * KINDS));
        }
        c.getAndIncrement(2 * kind.ordinal());
        c.getAndAdd(2 * kind.ordinal() + 1, bytes);
    }

    /**
     * Counts one packet of {@code bytes} from {@code source} (an instance, or {@link Endpoint#SERVER} for the device)
     * that {@link Forwarding} routed as {@code route}: the sender's "in", each receiver's "out", and one delivery per
     * receiver (a flood counts one {@link FlowKind#BROADCAST} delivery per receiver, the device included). A packet the
     * pair policy denies counts one {@link FlowKind#DENIED} per (sender, receiver): the denied unicast's target, or
     * each receiver a flood withheld its copy from.
     */
    public void account(Endpoint source, Route route, int bytes) {
        if (source instanceof InstanceId id) {
            countIn(id, bytes);
        }
        switch (route) {
            case Route.ToDevice d -> {
                if (source instanceof InstanceId) {
                    countFlow(source, Endpoint.SERVER, FlowKind.UNICAST_VIA_SERVER, bytes);
                }
            }
            case Route.ToInstance(InstanceId target) -> {
                countOut(target, bytes);
                FlowKind kind = source instanceof InstanceId ? FlowKind.CLIENT_TO_CLIENT : FlowKind.UNICAST_VIA_SERVER;
                countFlow(source, target, kind, bytes);
            }
            case Route.Flood(List<InstanceId> receivers, boolean alsoDevice, List<InstanceId> withheld) -> {
                for (int i = 0; i < receivers.size(); i++) {
                    InstanceId r = receivers.get(i);
                    countOut(r, bytes);
                    countFlow(source, r, FlowKind.BROADCAST, bytes);
                }
                for (int i = 0; i < withheld.size(); i++) {
                    countFlow(source, withheld.get(i), FlowKind.DENIED, bytes);
                }
                if (alsoDevice && source instanceof InstanceId) {
                    countFlow(source, Endpoint.SERVER, FlowKind.BROADCAST, bytes);
                }
            }
            case Route.Denied(InstanceId target) -> countFlow(source, target, FlowKind.DENIED, bytes);
            case Route.Drop d -> { }
        }
    }

    /** The current totals of a registered instance, or {@link InstanceTotals#ZERO}. */
    public InstanceTotals totalsOf(InstanceId id) {
        Node n = instances.get(id);
        return n == null ? InstanceTotals.ZERO : totals(n);
    }

    /** Immutable copy of every live counter, sorted by source, destination and kind. */
    public FlowSnapshot snapshot() {
        Map<InstanceId, InstanceTotals> totals = new LinkedHashMap<>();
        List<FlowSample> flows = new ArrayList<>();
        addFlows(Endpoint.SERVER, server, flows);
        instances.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            totals.put(e.getKey(), totals(e.getValue()));
            addFlows(e.getKey(), e.getValue(), flows);
        });
        flows.sort(Comparator.comparing(FlowSample::source, ENDPOINT_ORDER)
                .thenComparing(FlowSample::destination, ENDPOINT_ORDER)
                .thenComparing(FlowSample::kind));
        return new FlowSnapshot(totals, flows);
    }

    private void addFlows(Endpoint source, Node n, List<FlowSample> into) {
        n.out.forEach((destination, c) -> {
            if (destination instanceof InstanceId d && !instances.containsKey(d)) {
                return;
            }
            for (FlowKind kind : FlowKind.values()) {
                long packets = c.get(2 * kind.ordinal());
                if (packets != 0) {
                    into.add(new FlowSample(source, destination, kind, packets, c.get(2 * kind.ordinal() + 1)));
                }
            }
        });
    }

    private static InstanceTotals totals(Node n) {
        return new InstanceTotals(n.totals.get(PACKETS_IN), n.totals.get(BYTES_IN),
                n.totals.get(PACKETS_OUT), n.totals.get(BYTES_OUT));
    }
}
