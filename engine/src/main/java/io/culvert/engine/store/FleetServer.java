package io.culvert.engine.store;

import io.culvert.engine.api.FleetRemote;
import java.time.Instant;
import java.util.List;

/**
 * A server of the fleet as the registry holds it.
 *
 * @param name the server's name, unique in the fleet
 * @param registeredAt when it first registered
 * @param heartbeatAt its latest heartbeat
 * @param reportedAt when it last reported its live state (instances and flows), the epoch if never
 * @param pools the address pools it hands out, as CIDR text ("10.8.0.0/24"), sorted
 * @param remotes the addresses clients dial to reach it, in the order it registered them; empty if it registered none
 */
public record FleetServer(String name, Instant registeredAt, Instant heartbeatAt, Instant reportedAt, List<String> pools,
        List<FleetRemote> remotes) {
    public FleetServer {
        pools = List.copyOf(pools);
        remotes = List.copyOf(remotes);
    }
}
