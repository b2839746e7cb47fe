package io.culvert.engine.server;

import io.culvert.engine.server.route.InstanceId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's instances, found by peer-id (the slot, also the {@link InstanceId}), by real address (UDP) and by
 * session; it hands out free peer-ids and moves an instance to a new address when it floats. Not thread-safe: owned
 * by the server thread, except {@link #created()}, which any thread may read.
 */
final class InstanceTable {
    private final Instance[] byPeerId;
    private final Map<InetSocketAddress, Instance> byAddress = new HashMap<>();
    private final Map<ServerSession, Instance> bySession = new HashMap<>();
    private volatile long created;

    InstanceTable(int maxClients) {
        this.byPeerId = new Instance[maxClients];
    }

    /** The lowest free peer-id, or -1 when the table is full. */
    int freePeerId() {
        for (int i = 0; i < byPeerId.length; i++) {
            if (byPeerId[i] == null) {
                return i;
            }
        }
        return -1;
    }

    /** Adds an instance in slot {@code peerId}; a UDP instance is also found by its address from now on. */
    Instance register(int peerId, ServerSession session, LinkEndpoint endpoint) {
        Instance inst = new Instance(new InstanceId(peerId), session, endpoint);
        created = created + 1;
        byPeerId[peerId] = inst;
        bySession.put(session, inst);
        if (endpoint instanceof LinkEndpoint.Udp) {
            byAddress.put(endpoint.address(), inst);
        }
        return inst;
    }

    /** Takes the instance out of every index; its slot is free again. */
    void remove(Instance inst) {
        if (byPeerId[inst.id.value()] == inst) {
            byPeerId[inst.id.value()] = null;
        }
        bySession.remove(inst.session, inst);
        byAddress.remove(inst.endpoint.address(), inst);
    }

    /** The instance in slot {@code peerId}, or null (also for ids out of range). */
    Instance byPeerId(int peerId) {
        return peerId >= 0 && peerId < byPeerId.length ? byPeerId[peerId] : null;
    }

    Instance byAddress(InetSocketAddress address) {
        return byAddress.get(address);
    }

    Instance bySession(ServerSession session) {
        return bySession.get(session);
    }

    /** True when {@code inst} is still the one in its slot (handles held by readers may outlive it). */
    boolean holds(Instance inst) {
        return byPeerId(inst.id.value()) == inst;
    }

    /**
     * Moves a UDP instance that authenticated a packet from {@code to}; false (nothing moved) when another instance
     * already lives at that address.
     */
    boolean floatTo(Instance inst, InetSocketAddress to) {
        return floatTo(inst, new LinkEndpoint.Udp(to));
    }

    /** {@link #floatTo(Instance, InetSocketAddress)} with the socket and local address the packet came by. */
    boolean floatTo(Instance inst, LinkEndpoint.Udp to) {
        Instance other = byAddress.get(to.address());
        if (other != null && other != inst) {
            return false;
        }
        byAddress.remove(inst.endpoint.address(), inst);
        inst.endpoint = to;
        byAddress.put(to.address(), inst);
        return true;
    }

    /** True when an instance's session already belongs to client session id {@code clientSid}. */
    boolean knownClientSession(long clientSid) {
        for (ServerSession s : bySession.keySet()) {
            if (s.hasClientSessionId(clientSid)) {
                return true;
            }
        }
        return false;
    }

    /** Admitted instances other than {@code inst} with the same common name. */
    List<Instance> othersWithCommonName(Instance inst) {
        List<Instance> out = new ArrayList<>();
        String cn = inst.session.commonName();
        for (Instance other : bySession.values()) {
            if (other != inst && other.admitted != null && cn != null && cn.equals(other.session.commonName())) {
                out.add(other);
            }
        }
        return out;
    }

    /** The instances in peer-id order, as a copy the caller may change the table while walking. */
    List<Instance> all() {
        List<Instance> out = new ArrayList<>();
        for (Instance inst : byPeerId) {
            if (inst != null) {
                out.add(inst);
            }
        }
        return out;
    }

    int size() {
        return bySession.size();
    }

    /** Instances registered since start; any thread may read it. */
    long created() {
        return created;
    }
}
