package io.culvert.engine.api;

import java.util.List;

/**
 * What an established client tunnel looks like. Instances are immutable.
 *
 * @param remote the server as host:port/proto
 * @param device the tun/tap interface name
 * @param ipv4 assigned IPv4 address with prefix, e.g. "10.8.0.2/24"; null if none
 * @param ipv6 assigned IPv6 address with prefix, or null
 * @param cipher the data-channel cipher
 * @param tls TLS protocol and suite
 * @param routes routes installed through the tunnel
 * @param dns DNS servers the server pushed
 * @param failedRoutes routes that were asked for but not installed, in the order they were tried; as in OpenVPN they
 *     do not stop the tunnel
 */
public record ConnectionInfo(
        String remote, String device, String ipv4, String ipv6, String cipher, String tls, List<String> routes, List<String> dns,
        List<FailedRoute> failedRoutes) {

    public ConnectionInfo {
        routes = List.copyOf(routes);
        dns = List.copyOf(dns);
        failedRoutes = List.copyOf(failedRoutes);
    }

    /** A tunnel whose routes were all installed. */
    public ConnectionInfo(String remote, String device, String ipv4, String ipv6, String cipher, String tls, List<String> routes,
            List<String> dns) {
        this(remote, device, ipv4, ipv6, cipher, tls, routes, dns, List.of());
    }

    /** True when a route failed for another reason than being in place already (OpenVPN's {@code ROUTE_ERROR}). */
    public boolean routeErrors() {
        return failedRoutes.stream().anyMatch(f -> !f.alreadyPresent());
    }

    /**
     * One route the client could not install.
     *
     * @param route the route as it was asked for, e.g. {@code 10.8.0.0/24 via 10.8.0.1 dev tun0}
     * @param reason why, as the system said it, e.g. {@code RTNETLINK answers: File exists}
     * @param alreadyPresent true when an identical route was in the table already (the tunnel still reaches it)
     */
    public record FailedRoute(String route, String reason, boolean alreadyPresent) {}
}
