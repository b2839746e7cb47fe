package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state behind the topology view: which instances are where, and the rates on every edge, from the counter
 * differences between {@link TopologySnapshot}s. It keeps instances that left for {@link #LEAVE_NANOS}
 * so the view can fade them out, detects broadcast storms (with hysteresis: on at the threshold, off below half of
 * it) and builds the {@link FlowMatrix}. Plain Java so its logic is tested without a toolkit; confined to one
 * thread (the FX thread in the app).
 */
public final class TopologyModel {
    /** How long an instance that left stays on screen, fading out. */
    public static final long LEAVE_NANOS = 600_000_000L;
    /** Default storm threshold: broadcast packets per second from one sender. */
    public static final double DEFAULT_STORM_THRESHOLD = 100;

    /** Distance between the centres of two hubs side by side (a fleet's servers), in world units. */
    public static final double HUB_SPACING = 2 * (SlotLayout.FIRST_RADIUS + SlotLayout.RING_STEP) + 260;

    /**
     * A hub on screen: one server, at its place. A single server's hub has no name (the view calls it the server)
     * and its address as the caption.
     *
     * @param index its place in {@link #hubs()}
     * @param name the fleet server's name, or null for a single server
     * @param caption the line under the title
     * @param bytesPerSecond traffic through it, all its edges together
     */
    public record Hub(int index, String name, String caption, double x, double y, double bytesPerSecond) {}

    /** One sender's fan-out: its broadcast packets per second and who receives the copies. */
    public record FanOut(NodeState sender, double packetsPerSecond, List<NodeState> receivers, boolean toServer) {}

    private record Key(int source, int destination, FlowEdge.Kind kind) {}

    private record Counter(long packets, long bytes) {}

    private record Totals(long bytesIn, long bytesOut) {}

    private record Baseline(long nanos, Map<Key, Counter> flows, Map<Integer, Totals> totals) {}

    /** Rates are measured over at least this long. */
    public static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final Map<Integer, SlotLayout> layouts = new HashMap<>();
    private List<String> hubNames = List.of();
    private List<Hub> hubs = List.of(new Hub(0, null, "", 0, 0, 0));
    private final Map<Integer, NodeState> nodes = new LinkedHashMap<>();
    private final ArrayDeque<Baseline> history = new ArrayDeque<>();
    private double stormThreshold = DEFAULT_STORM_THRESHOLD;
    private List<EdgeRate> rates = List.of();
    private List<FlowEdge> denied = List.of();
    private List<EdgeRate> clientToClient = List.of();
    /** A client's traffic to a client on another server of a fleet (ADR 0056), smallest first. */
    private List<EdgeRate> betweenServers = List.of();
    private List<FanOut> fanOuts = List.of();
    private FlowMatrix matrix = FlowMatrix.empty();
    private String server = "";
    private long version;

    /**
     * Takes a new snapshot: instances join and leave; rates are counter differences over at least
     * {@link #RATE_WINDOW_NANOS} (the newest earlier snapshot that old, else the oldest kept), so frequent polls
     * still give steady rates.
     */
    public void apply(TopologySnapshot s) {
        List<String> names = s.hubs().isEmpty() ? java.util.Collections.singletonList(null)
                : s.hubs().stream().map(TopologySnapshot.Hub::name).toList();
        if (!names.equals(hubNames)) {
            // another set of servers: every hub moves, so every instance takes a new place around its own
            forgetNodes();
            hubNames = names;
        }
        Baseline base = baseline(s.nanos());
        double seconds = base == null ? 0 : (s.nanos() - base.nanos()) / 1e9;
        server = s.server();
        Map<Integer, Integer> hubOf = new HashMap<>();
        for (int h = 0; h < s.hubs().size(); h++) {
            for (int peer : s.hubs().get(h).peers()) {
                hubOf.put(peer, h);
            }
        }
        Map<Integer, InstanceInfo> now = new HashMap<>();
        for (InstanceInfo i : s.instances()) {
            now.put(i.peerId(), i);
        }
        for (NodeState n : nodes.values()) {
            if (n.present() && !now.containsKey(n.peerId())) {
                n.leftNanos = s.nanos();
            }
        }
        Map<Integer, Totals> totals = new HashMap<>();
        for (InstanceInfo i : s.instances()) {
            NodeState n = nodes.get(i.peerId());
            if (n == null || !n.present()) {
                if (n != null) {
                    layout(n.hub()).release(n.peerId());
                }
                int hub = hubOf.getOrDefault(i.peerId(), 0);
                n = new NodeState(i, hub, hubX(hub, names.size()), 0, layout(hub).assign(i.peerId(), i.commonName()), s.nanos());
                nodes.put(i.peerId(), n);
            }
            n.info = i;
            totals.put(i.peerId(), new Totals(i.bytesIn(), i.bytesOut()));
            Totals before = base == null ? null : base.totals().get(i.peerId());
            n.bytesInPerSecond = base == null ? 0 : rate(i.bytesIn(), before == null ? 0 : before.bytesIn(), seconds);
            n.bytesOutPerSecond = base == null ? 0 : rate(i.bytesOut(), before == null ? 0 : before.bytesOut(), seconds);
        }
        Map<Key, Counter> flows = new HashMap<>();
        List<EdgeRate> all = new ArrayList<>();
        List<FlowEdge> deniedNow = new ArrayList<>();
        for (FlowEdge f : s.flows()) {
            Key k = new Key(f.source(), f.destination(), f.kind());
            flows.put(k, new Counter(f.packets(), f.bytes()));
            if (!endpointPresent(f.source()) || !endpointPresent(f.destination())) {
                continue;
            }
            if (f.kind() == FlowEdge.Kind.DENIED) {
                deniedNow.add(f);
            }
            Counter before = base == null ? null : base.flows().get(k);
            long packetsBefore = before != null ? before.packets() : 0;
            long bytesBefore = before != null ? before.bytes() : 0;
            all.add(new EdgeRate(f.source(), f.destination(), f.kind(),
                    base != null ? rate(f.packets(), packetsBefore, seconds) : 0, base != null ? rate(f.bytes(), bytesBefore, seconds) : 0,
                    f.bytes()));
        }
        history.addLast(new Baseline(s.nanos(), flows, totals));
        rates = List.copyOf(all);
        denied = List.copyOf(deniedNow);
        derive();
        double[] through = new double[names.size()];
        for (EdgeRate r : rates) {
            int end = r.source() != FlowEdge.SERVER ? r.source() : r.destination();
            NodeState n = nodes.get(end);
            if (r.kind() != FlowEdge.Kind.DENIED && n != null) {
                through[n.hub()] += r.bytesPerSecond();
            }
        }
        List<Hub> placed = new ArrayList<>();
        for (int h = 0; h < names.size(); h++) {
            placed.add(new Hub(h, names.get(h), s.hubs().isEmpty() ? s.server() : s.hubs().get(h).caption(), hubX(h, names.size()), 0,
                    through[h]));
        }
        hubs = List.copyOf(placed);
        prune(s.nanos());
        version++;
    }

    /** The snapshot to measure from, dropping those no longer needed; null before the first. */
    private Baseline baseline(long nanos) {
        while (history.size() > 1 && nanos - secondOldest().nanos() >= RATE_WINDOW_NANOS) {
            history.removeFirst();
        }
        return history.peekFirst();
    }

    private Baseline secondOldest() {
        Iterator<Baseline> it = history.iterator();
        it.next();
        return it.next();
    }

    private boolean endpointPresent(int id) {
        if (id == FlowEdge.SERVER) {
            return true;
        }
        NodeState n = nodes.get(id);
        return n != null && n.present();
    }

    /** Counter difference per second; a counter that went down (a reset) counts from zero. */
    private static double rate(long now, long before, double seconds) {
        if (seconds <= 0) {
            return 0;
        }
        return (now >= before ? now - before : now) / seconds;
    }

    private void derive() {
        Map<Integer, List<NodeState>> receivers = new HashMap<>();
        Map<Integer, Double> broadcastRate = new HashMap<>();
        Map<Integer, Boolean> broadcastToServer = new HashMap<>();
        List<EdgeRate> c2c = new ArrayList<>();
        List<EdgeRate> across = new ArrayList<>();
        for (NodeState n : nodes.values()) {
            n.upBytesPerSecond = 0;
            n.downBytesPerSecond = 0;
        }
        for (EdgeRate r : rates) {
            switch (r.kind()) {
                case UNICAST_VIA_SERVER -> {
                    if (r.destination() == FlowEdge.SERVER && r.source() != FlowEdge.SERVER) {
                        nodes.get(r.source()).upBytesPerSecond += r.bytesPerSecond();
                    } else if (r.source() == FlowEdge.SERVER && r.destination() != FlowEdge.SERVER) {
                        nodes.get(r.destination()).downBytesPerSecond += r.bytesPerSecond();
                    } else if (r.source() != FlowEdge.SERVER && r.bytesPerSecond() > 0) {
                        across.add(r); // two clients on different fleet servers, through both
                    }
                }
                case CLIENT_TO_CLIENT -> {
                    if (r.bytesPerSecond() > 0 && r.source() != FlowEdge.SERVER && r.destination() != FlowEdge.SERVER) {
                        c2c.add(r);
                    }
                }
                case BROADCAST -> {
                    if (r.source() != FlowEdge.SERVER && r.packetsPerSecond() > 0) {
                        // One copy per receiver: the sender's own rate is that of any one receiver's edge.
                        broadcastRate.merge(r.source(), r.packetsPerSecond(), Math::max);
                        if (r.destination() == FlowEdge.SERVER) {
                            broadcastToServer.put(r.source(), true);
                        } else {
                            receivers.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(nodes.get(r.destination()));
                        }
                    }
                }
                case DENIED -> {
                    // dropped by the pair policy: nothing travelled; the matrix marks the pair with its count
                }
            }
        }
        List<FanOut> fans = new ArrayList<>();
        for (NodeState n : nodes.values()) {
            double pps = broadcastRate.getOrDefault(n.peerId(), 0.0);
            n.broadcastPacketsPerSecond = n.present() ? pps : 0;
            n.storming = n.present() && (n.storming ? pps >= stormThreshold / 2 : pps >= stormThreshold);
            if (pps > 0 && n.present()) {
                fans.add(new FanOut(n, pps, List.copyOf(receivers.getOrDefault(n.peerId(), List.of())),
                        broadcastToServer.getOrDefault(n.peerId(), false)));
            }
        }
        c2c.sort(Comparator.comparingDouble(EdgeRate::bytesPerSecond));
        clientToClient = List.copyOf(c2c);
        across.sort(Comparator.comparingDouble(EdgeRate::bytesPerSecond));
        betweenServers = List.copyOf(across);
        fanOuts = List.copyOf(fans);
        List<Integer> endpoints = new ArrayList<>();
        endpoints.add(FlowEdge.SERVER);
        nodes.values().stream().filter(NodeState::present).sorted(Comparator.comparingInt(NodeState::slot))
                .forEach(n -> endpoints.add(n.peerId()));
        matrix = new FlowMatrix(endpoints, rates, denied);
    }

    /** Hub {@code h} of {@code count}, side by side around x = 0. */
    private static double hubX(int h, int count) {
        return (h - (count - 1) / 2.0) * HUB_SPACING;
    }

    private SlotLayout layout(int hub) {
        return layouts.computeIfAbsent(hub, k -> new SlotLayout());
    }

    private void forgetNodes() {
        nodes.clear();
        layouts.clear();
        history.clear();
    }

    /** Forgets instances that finished leaving, freeing their slots; returns true if any went. */
    public boolean prune(long nowNanos) {
        boolean removed = false;
        for (Iterator<NodeState> it = nodes.values().iterator(); it.hasNext();) {
            NodeState n = it.next();
            if (!n.present() && nowNanos - n.leftNanos() >= LEAVE_NANOS) {
                it.remove();
                layout(n.hub()).release(n.peerId());
                removed = true;
            }
        }
        return removed;
    }

    /** Forgets everything (a new source). */
    public void clear() {
        forgetNodes();
        hubNames = List.of();
        hubs = List.of(new Hub(0, null, "", 0, 0, 0));
        rates = List.of();
        denied = List.of();
        clientToClient = List.of();
        betweenServers = List.of();
        fanOuts = List.of();
        matrix = FlowMatrix.empty();
        server = "";
        version++;
    }

    public void stormThreshold(double packetsPerSecond) {
        stormThreshold = packetsPerSecond;
    }

    public double stormThreshold() {
        return stormThreshold;
    }

    /** Every instance on screen, including those fading out, in the order they appeared. */
    public Collection<NodeState> nodes() {
        return nodes.values();
    }

    /** The connected instance with this peer-id, or null (also null while it fades out). */
    public NodeState node(int peerId) {
        NodeState n = nodes.get(peerId);
        return n != null && n.present() ? n : null;
    }

    public int presentCount() {
        int c = 0;
        for (NodeState n : nodes.values()) {
            if (n.present()) {
                c++;
            }
        }
        return c;
    }

    /** Every edge between endpoints on screen. */
    public List<EdgeRate> rates() {
        return rates;
    }

    /** Client-to-client edges with traffic, smallest first (so big ones are drawn on top). */
    public List<EdgeRate> clientToClient() {
        return clientToClient;
    }

    /** Edges from a client to a client on another fleet server with traffic, smallest first (ADR 0056). */
    public List<EdgeRate> betweenServers() {
        return betweenServers;
    }

    public List<FanOut> fanOuts() {
        return fanOuts;
    }

    /** The instances flooding broadcasts right now. */
    public List<NodeState> storms() {
        return nodes.values().stream().filter(NodeState::storming).toList();
    }

    public FlowMatrix matrix() {
        return matrix;
    }

    /** Every hub: one for a server, one per server of a fleet, left to right. */
    public List<Hub> hubs() {
        return hubs;
    }

    /** The hub's label: which server this is. */
    public String server() {
        return server;
    }

    /** Bytes per second through the server, all edges together. */
    public double totalBytesPerSecond() {
        double t = 0;
        for (EdgeRate r : rates) {
            if (r.kind() != FlowEdge.Kind.DENIED) {
                t += r.bytesPerSecond();
            }
        }
        return t;
    }

    /** Grows by one with every change; the matrix view redraws when it moves. */
    public long version() {
        return version;
    }
}
