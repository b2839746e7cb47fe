package io.culvert.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A client of the fleet with its per-client settings.
 *
 * @param commonName the client certificate's CN
 * @param routes networks pushed to the client as routes by every server, CIDR text ("192.168.50.0/24")
 * @param addresses its static IPv4 address on each server that gives it one (server name to address text), by name
 */
public record FleetClient(String commonName, List<String> routes, Instant changedAt, SortedMap<String, String> addresses) {
    public FleetClient {
        routes = List.copyOf(routes);
        addresses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
    }

    /** A client with routes and no static address. */
    public FleetClient(String commonName, List<String> routes, Instant changedAt) {
        this(commonName, routes, changedAt, new TreeMap<>(Map.of()));
    }

    /** Its static address on server {@code server}, or null. */
    public String addressOn(String server) {
        return addresses.get(server);
    }
}
