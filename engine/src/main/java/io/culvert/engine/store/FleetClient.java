package io.culvert.engine.store;

import java.time.Instant;
import java.util.List;

/**
 * A client of the fleet with its per-client settings, the same on every server.
 *
 * @param commonName the client certificate's CN
 * @param routes networks pushed to the client as routes, CIDR text ("192.168.50.0/24")
 */
public record FleetClient(String commonName, List<String> routes, Instant changedAt) {
    public FleetClient {
        routes = List.copyOf(routes);
    }
}
