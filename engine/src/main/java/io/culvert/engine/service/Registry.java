package io.culvert.engine.service;

import io.culvert.engine.daemon.protocol.Result;
import io.culvert.engine.daemon.protocol.ToClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's running handles and open connections, and the fan-out of events to those allowed to see them.
 * Handle ids are 128 random bits (a kind letter and 32 hex digits), so one user cannot guess another's. Thread-safe.
 */
final class Registry {
    /** Random bytes in a handle id. */
    static final int ID_BYTES = 16;

    private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    Hosted create(Result.Kind kind, Account owner, Connection starter, long startRequest) {
        while (true) {
            byte[] bits = new byte[ID_BYTES];
            random.nextBytes(bits);
            String id = (kind == Result.Kind.CLIENT ? "c" : "s") + HexFormat.of().formatHex(bits);
            Hosted h = new Hosted(id, kind, owner, starter, startRequest);
            if (hosted.putIfAbsent(id, h) == null) {
                return h;
            }
        }
    }

    Hosted get(String id) {
        return hosted.get(id);
    }

    void remove(Hosted h) {
        hosted.remove(h.id());
    }

    List<Hosted> all() {
        return List.copyOf(hosted.values());
    }

    long countOwnedBy(long uid, Result.Kind kind) {
        return hosted.values().stream().filter(h -> h.kind() == kind && h.owner().uid() == uid).count();
    }

    /**
     * Registers {@code c} if its caller may hold one more connection: at most {@code perUser} per user (root is not
     * counted), operators together at most {@code maxConnections - adminReserve}, admins at most
     * {@code maxConnections}; root always gets in, so no one can lock root out.
     *
     * @return null when admitted, else why not
     */
    synchronized String admit(Connection c, ServiceSettings settings) {
        Caller caller = c.caller();
        ServiceSettings.Limits limits = settings.limits();
        if (caller.uid() != 0) {
            int cap = caller.isAdmin() ? settings.maxConnections() : settings.maxConnections() - limits.adminReserve();
            if (connections.size() >= cap) {
                return "too many connections" + (caller.isAdmin() ? "" : " (the last " + limits.adminReserve() + " are kept for admins)");
            }
            long mine = connections.stream().filter(x -> x.caller().uid() == caller.uid()).count();
            if (mine >= limits.perUser()) {
                return "at most " + limits.perUser() + " connections per user";
            }
        }
        connections.add(c);
        return null;
    }

    synchronized void remove(Connection c) {
        connections.remove(c);
        for (Hosted h : hosted.values()) {
            if (h.promptTarget() == c) {
                h.promptTarget(null);
            }
        }
    }

    /** Sends {@code message} about {@code h} to every connection that may see it (held until {@code h} is announced). */
    void publish(Hosted h, ToClient message) {
        if (h.holdIfUnannounced(message)) {
            return;
        }
        deliver(h, message);
    }

    /** Announces {@code h} and sends the events held back meanwhile. */
    void announce(Hosted h) {
        for (ToClient m : h.announce()) {
            deliver(h, m);
        }
    }

    private void deliver(Hosted h, ToClient message) {
        for (Connection c : connections) {
            if (c.sees(h)) {
                c.send(message);
            }
        }
    }
}
