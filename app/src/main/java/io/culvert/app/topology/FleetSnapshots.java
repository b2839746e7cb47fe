package io.culvert.app.topology;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.FleetView;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A fleet's servers as one topology snapshot (issue 15): every server a hub, its clients around it, its flows between
 * them, and a client's traffic to a client on another server (ADR 0056) as a {@link FlowEdge.Kind#UNICAST_VIA_SERVER}
 * edge between the two clients, when a shown client of the other server holds that virtual address (else it stays the
 * client's edge to its own server). Peer-ids are a server's own, so each is moved into its server's range
 * ({@code index << 24}: OpenVPN's peer-ids have 24 bits) to stay unique on the picture. Stateless.
 */
public final class FleetSnapshots {
    private FleetSnapshots() {}

    /**
     * The source that shows {@code fleet}'s servers: all of them when {@code only} is null, else the server of that name.
     * It reads the fleet's database on every poll; while the database does not answer the picture is empty.
     */
    public static TopologySource source(String name, Fleet fleet, String only) {
        Messages m = Messages.of("topology");
        Supplier<TopologySnapshot> read = () -> {
            try {
                return of(fleet.view(), only, name, m);
            } catch (EngineException e) {
                return new TopologySnapshot(System.nanoTime(), m.get("fleet.unreachable", e.detail()), List.of(), List.of());
            }
        };
        return TopologySource.ofSnapshots(name, read);
    }

    /** {@code view} as a snapshot: the servers (or only {@code only}) as hubs, named {@code title} for the hub's tooltip. */
    static TopologySnapshot of(FleetView view, String only, String title, Messages m) {
        List<InstanceInfo> instances = new ArrayList<>();
        List<FlowEdge> flows = new ArrayList<>();
        List<TopologySnapshot.Hub> hubs = new ArrayList<>();
        Map<String, Integer> holders = new HashMap<>(); // a shown client's virtual address → its id on the picture
        for (int index = 0; index < view.servers().size(); index++) {
            FleetView.Server s = view.servers().get(index);
            if (only != null && !only.equals(s.name())) {
                continue;
            }
            int base = index << 24;
            Set<Integer> peers = new HashSet<>();
            for (InstanceInfo i : s.instances()) {
                int id = base | (i.peerId() & 0xFFFFFF);
                peers.add(id);
                instances.add(i.withPeerId(id));
                for (String a : i.virtualAddresses()) {
                    holders.put(a, id);
                }
            }
            for (FlowEdge f : s.flows()) {
                flows.add(new FlowEdge(move(base, f.source()), move(base, f.destination()), f.kind(), f.packets(), f.bytes()));
            }
            hubs.add(new TopologySnapshot.Hub(s.name(), m.get("fleet.hub", s.clients(), m.get("fleet.health." + s.health().name())), peers));
        }
        for (int index = 0; index < view.servers().size(); index++) {
            FleetView.Server s = view.servers().get(index);
            if (only != null && !only.equals(s.name())) {
                continue;
            }
            for (FleetView.RemoteFlow r : s.remoteFlows()) {
                Integer far = holders.get(r.destination());
                if (far != null && (far >>> 24) != index) {
                    flows.add(new FlowEdge(move(index << 24, r.source()), far, FlowEdge.Kind.UNICAST_VIA_SERVER, r.packets(), r.bytes()));
                }
            }
        }
        return new TopologySnapshot(System.nanoTime(), title, instances, flows, hubs);
    }

    private static int move(int base, int peer) {
        return peer == FlowEdge.SERVER ? FlowEdge.SERVER : base | (peer & 0xFFFFFF);
    }
}
