package io.culvert.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an admin sees of a fleet at one moment (issue 15): every registered server with its health, its address pools
 * and what it last reported of its live state. Immutable.
 *
 * @param at when the view was read (the health's reference time)
 * @param servers every registered server, by name
 */
public record FleetView(Instant at, List<Server> servers) {
    /** A server whose last heartbeat is at most this old is healthy (servers beat every few seconds). */
    public static final Duration HEALTHY_WITHIN = Duration.ofSeconds(15);
    /** A server whose last heartbeat is older than this is down; between the two it is late. */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(60);

    public FleetView {
        Objects.requireNonNull(at, "at");
        servers = List.copyOf(servers);
    }

    /** A server's health, from the age of its last heartbeat. */
    public enum Health {
        /** Heartbeat at most {@link #HEALTHY_WITHIN} old. */
        HEALTHY,
        /** Heartbeat older than {@link #HEALTHY_WITHIN}, at most {@link #DOWN_AFTER}: busy, or its database link is slow. */
        LATE,
        /** No heartbeat for longer than {@link #DOWN_AFTER}: stopped, or cut off from the database. */
        DOWN;

        /** The health of a server whose last heartbeat was at {@code heartbeat}, seen at {@code now}. */
        public static Health of(Instant heartbeat, Instant now) {
            Duration age = Duration.between(heartbeat, now);
            return age.compareTo(HEALTHY_WITHIN) <= 0 ? HEALTHY : age.compareTo(DOWN_AFTER) <= 0 ? LATE : DOWN;
        }
    }

    /**
     * One server of the fleet.
     *
     * @param name its name in the fleet
     * @param heartbeatAt its latest heartbeat
     * @param health what the heartbeat's age says
     * @param pools the tunnel address pools it hands out, CIDR text
     * @param instances the clients connected to it as it last reported them (peer-ids are this server's)
     * @param flows its flow counters as it last reported them (peer-ids are this server's; {@link FlowEdge#SERVER} is it)
     * @param remoteFlows its clients' traffic out through it to addresses in other servers' pools (ADR 0056)
     * @param remotes the addresses clients dial to reach it, as it registered them (ADR 0057); empty if it registered none
     */
    public record Server(String name, Instant heartbeatAt, Health health, List<String> pools, List<InstanceInfo> instances,
            List<FlowEdge> flows, List<RemoteFlow> remoteFlows, List<FleetRemote> remotes) {
        public Server {
            Objects.requireNonNull(name, "name");
            pools = List.copyOf(pools);
            remotes = List.copyOf(remotes);
            instances = List.copyOf(instances);
            flows = List.copyOf(flows);
            remoteFlows = List.copyOf(remoteFlows);
        }

        /** A server with no traffic counted to other servers' pools and no registered address. */
        public Server(String name, Instant heartbeatAt, Health health, List<String> pools, List<InstanceInfo> instances,
                List<FlowEdge> flows) {
            this(name, heartbeatAt, health, pools, instances, flows, List.of(), List.of());
        }

        /** How many clients are connected to it. */
        public int clients() {
            return instances.size();
        }
    }

    /**
     * Traffic a server's client sent out through that server to an address inside another fleet server's pool, since the
     * client connected (ADR 0056). The client on the other server whose virtual address it is, if any, is the far end.
     *
     * @param source a peer-id on the reporting server
     * @param destination the IPv4 address, as text
     */
    public record RemoteFlow(int source, String destination, long packets, long bytes) {
        public RemoteFlow {
            Objects.requireNonNull(destination, "destination");
        }
    }
}
