package io.culvert.engine.server;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.DropTally;
import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.server.route.Endpoint;
import io.culvert.engine.server.route.FlowCounters;
import io.culvert.engine.server.route.FlowSample;
import io.culvert.engine.server.route.Forwarding;
import io.culvert.engine.server.route.InstanceId;
import io.culvert.engine.net.IpPrefix;
import io.culvert.engine.server.route.MacAddress;
import io.culvert.engine.server.route.MacTable;
import io.culvert.engine.server.route.RemoteFlows;
import io.culvert.engine.server.route.Route;
import io.culvert.engine.server.route.VirtualRouter;
import io.culvert.engine.session.DataPlane;
import io.culvert.engine.transport.Transport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server's packet switch: a packet from the device or a decrypted one from an instance is routed with
 * {@link Forwarding} (virtual addresses and iroutes for TUN, learnt MACs for TAP), counted as a flow, and written to
 * the device or sealed for the receiving instances. Not thread-safe: used under the server's owner lock (the server
 * thread, or a reader on its fast path; ADR 0041), except
 * {@link #flows()}, a snapshot any thread may take.
 */
final class PacketSwitch {
    private final InstanceTable table;
    private final ServerCore.Device device;
    private final DropTally drops;
    private final InstantSource clock;
    private final VirtualRouter router = new VirtualRouter();
    private final MacTable macs = new MacTable();
    private final Forwarding forwarding;
    private final FlowCounters flows = new FlowCounters();
    /** Packets from each instance the router dropped, per {@link Route.Cause}, for the path check; server thread. */
    private final Map<InstanceId, long[]> dropsFrom = new HashMap<>();
    /** Packets from all instances the router dropped, per {@link Route.Cause}; any thread reads them. */
    private final AtomicLongArray dropTotals = new AtomicLongArray(Route.Cause.values().length);
    /** A fleet server's counters of traffic to other servers' pools (ADR 0056); null when not in a fleet, or TAP. */
    private RemoteFlows remote;
    /** The path check's probe while one runs, else null. */
    private PathProbe probe;
    /** Where a packet for an instance is copied to be sealed in place (each receiver of a flood gets a fresh copy). */
    private final byte[] sealing = new byte[DataPlane.HEADROOM + Transport.MAX_PACKET + DataPlane.TAILROOM];

    PacketSwitch(InstanceTable table, ServerCore.Device device, DropTally drops, InstantSource clock, boolean tap,
            boolean clientToClient, PairPolicy pairPolicy, Inet4Address subnetBroadcast) {
        this.table = table;
        this.device = device;
        this.drops = drops;
        this.clock = clock;
        this.forwarding = tap ? Forwarding.tap(clientToClient, pairPolicy, macs)
                : Forwarding.tun(clientToClient, pairPolicy, router, subnetBroadcast);
    }

    /** One packet or frame read from the server's device. */
    void fromDevice(byte[] buf, int off, int len) {
        Route route = forwarding.fromDevice(buf, off, len, clock.millis());
        flows.account(Endpoint.SERVER, route, len);
        execute(route, buf, off, len);
    }

    /** One decrypted packet or frame from instance {@code from} at {@code buf[off, off + len)}. */
    void fromInstance(InstanceId from, byte[] buf, int off, int len) {
        if (probe != null && probe.consume(buf, off, len)) {
            return;
        }
        Route route = forwarding.fromInstance(from, buf, off, len, clock.millis());
        flows.account(from, route, len);
        if (remote != null && route instanceof Route.ToDevice) {
            remote.count(from, buf, off, len);
        }
        if (route instanceof Route.Drop(Route.Cause cause)) {
            dropsFrom.computeIfAbsent(from, k -> new long[Route.Cause.values().length])[cause.ordinal()]++;
            dropTotals.incrementAndGet(cause.ordinal());
        }
        execute(route, buf, off, len);
    }

    /** Clients' packets the router dropped since start, by {@link Route.Cause} name, only causes seen; any thread. */
    Map<String, Long> dropTotals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Route.Cause c : Route.Cause.values()) {
            long n = dropTotals.get(c.ordinal());
            if (n > 0) {
                out.put(c.name(), n);
            }
        }
        return out;
    }

    /**
     * Counts clients' IPv4 traffic out through the device in {@code r} from now on (TUN only; null: stops), from zero:
     * a restarted server (SIGHUP) numbers its instances afresh.
     */
    void remoteFlows(RemoteFlows r) {
        remote = forwarding.mode() == Forwarding.Mode.TUN ? r : null;
        if (remote != null) {
            remote.clear();
        }
    }

    /** Starts taking the path check's echo replies out of the traffic (null: stops); ADR 0044. */
    void probe(PathProbe p) {
        probe = p;
    }

    /** A packet the path check made, routed as if the server's device had read it. */
    void inject(byte[] packet) {
        fromDevice(packet, 0, packet.length);
    }

    /** The path check's counters of A towards {@code b} (an instance, or null for an outside address), now. */
    PathDiagnosis.Counters counters(InstanceId a, InstanceId b) {
        long toB = 0;
        long denied = 0;
        long toServer = 0;
        for (FlowSample s : flows.snapshot().flows()) {
            if (!s.source().equals(a)) {
                continue;
            }
            if (s.destination() == Endpoint.SERVER) {
                toServer += s.packets();
            } else if (s.destination().equals(b)) {
                switch (s.kind()) {
                    case CLIENT_TO_CLIENT, BROADCAST -> toB += s.packets();
                    case DENIED -> denied += s.packets();
                    default -> { }
                }
            }
        }
        Map<String, Long> drops = new java.util.TreeMap<>();
        long[] causes = dropsFrom.get(a);
        if (causes != null) {
            for (Route.Cause c : Route.Cause.values()) {
                if (causes[c.ordinal()] > 0) {
                    drops.put(c.name(), causes[c.ordinal()]);
                }
            }
        }
        return new PathDiagnosis.Counters(flows.totalsOf(a).packetsIn(), toB, denied, toServer, drops);
    }

    /** The instance that owns {@code address} (its tunnel address or an iroute), or null. */
    InstanceId ownerOf(InetAddress address) {
        return forwarding.mode() == Forwarding.Mode.TUN ? router.ownerOf(address) : null;
    }

    /** The iroutes of {@code id} as the router holds them. */
    List<IpPrefix> iroutesOf(InstanceId id) {
        VirtualRouter.Owned owned = router.snapshot().get(id);
        return owned == null ? List.of() : owned.iroutes();
    }

    private void execute(Route route, byte[] buf, int off, int len) {
        switch (route) {
            case Route.ToDevice d -> device.write(buf, off, len);
            case Route.ToInstance(InstanceId target) -> sendTo(target, buf, off, len);
            case Route.Flood(List<InstanceId> receivers, boolean alsoDevice, List<InstanceId> withheld) -> {
                for (int i = 0; i < receivers.size(); i++) {
                    sendTo(receivers.get(i), buf, off, len);
                }
                if (alsoDevice) {
                    device.write(buf, off, len);
                }
            }
            case Route.Denied d -> drops.count(DropReason.POLICY_DENIED);
            case Route.Drop d -> drops.count(DropReason.UNEXPECTED);
        }
    }

    /** Copies the packet behind the headroom sealing needs and seals it there for {@code target}: no allocation. */
    private void sendTo(InstanceId target, byte[] buf, int off, int len) {
        Instance inst = table.byPeerId(target.value());
        if (inst == null) {
            return;
        }
        if (len > Transport.MAX_PACKET) {
            drops.count(DropReason.OVERSIZED);
            return;
        }
        System.arraycopy(buf, off, sealing, DataPlane.HEADROOM, len);
        inst.session.sendDataInPlace(sealing, DataPlane.HEADROOM, len);
    }

    /**
     * An admitted instance: packets for its addresses and iroutes go to it from now on; the pair policy judges it by
     * {@code commonName} (null: none).
     */
    void attach(InstanceId id, String commonName, List<InetAddress> addresses, List<String> iroutes) {
        for (InetAddress a : addresses) {
            router.learnAddress(id, a);
        }
        for (String iroute : iroutes) {
            router.learnRoute(id, IpPrefix.parse(iroute));
        }
        forwarding.attach(id, commonName);
        flows.register(id);
        if (remote != null) {
            remote.register(id);
        }
    }

    /** A PUSH_UPDATE moved the instance: packets for {@code from} no longer go to it, packets for {@code to} do. */
    void move(InstanceId id, List<InetAddress> from, List<InetAddress> to) {
        for (InetAddress a : from) {
            router.forgetAddress(id, a);
        }
        for (InetAddress a : to) {
            router.learnAddress(id, a);
        }
    }

    /** The instance that has {@code address} as its tunnel address, or null. */
    InstanceId holderOf(InetAddress address) {
        return router.hostOwner(address);
    }

    /** The instance is released: nothing is routed to it any more and its flows are forgotten. */
    void detach(InstanceId id) {
        dropsFrom.remove(id);
        forwarding.detach(id);
        flows.forget(id);
        if (remote != null) {
            remote.forget(id);
        }
    }

    List<MacAddress> macsOf(InstanceId id) {
        return macs.macsOf(id);
    }

    /** Forgets MACs not heard from for a while (TAP). */
    void expire() {
        macs.expire(clock.millis());
    }

    List<FlowEdge> flows() {
        List<FlowEdge> out = new ArrayList<>();
        for (FlowSample s : flows.snapshot().flows()) {
            out.add(new FlowEdge(endpointId(s.source()), endpointId(s.destination()),
                    FlowEdge.Kind.valueOf(s.kind().name()), s.packets(), s.bytes()));
        }
        return out;
    }

    private static int endpointId(Endpoint e) {
        return e instanceof InstanceId id ? id.value() : FlowEdge.SERVER;
    }
}
