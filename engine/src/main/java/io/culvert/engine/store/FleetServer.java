package io.culvert.engine.store;

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
 */
public record FleetServer(String name, Instant registeredAt, Instant heartbeatAt, Instant reportedAt, List<String> pools) {
    public FleetServer {
        pools = List.copyOf(pools);
    }
}
