package io.culvert.engine.api;

/**
 * Traffic counted on one directed edge of the server's topology since the source connected. Instances are
 * immutable.
 *
 * @param source a peer-id, or {@link #SERVER} for the server host behind its device
 * @param destination a peer-id, or {@link #SERVER}
 * @param kind how the packets travelled
 */
public record FlowEdge(int source, int destination, Kind kind, long packets, long bytes) {
    public static final int SERVER = -1;

    /** How packets on an edge travelled through the server. */
    public enum Kind {
        /** Between a client and the server host (or networks behind its device). */
        UNICAST_VIA_SERVER,
        /** Between two clients, routed inside the server without touching the device. */
        CLIENT_TO_CLIENT,
        /** Copies of a broadcast or multicast fanned out by the server; one per receiver. */
        BROADCAST,
        /**
         * Between two clients, dropped by the server because its client-to-client pair policy denies the pair
         * ({@code culvert-c2c-deny}, {@code culvert-c2c-allow-only}): unicast packets, and broadcast copies withheld.
         */
        DENIED
    }
}
