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
 * @param transport how the packets reach the server
 * @param fallback why the remotes tried before this one were passed over, e.g. {@code UDP: no answer in 2 s; TCP:
 *     connection refused; using WebSocket}; empty when the first remote tried was taken
 */
public record ConnectionInfo(
        String remote, String device, String ipv4, String ipv6, String cipher, String tls, List<String> routes, List<String> dns,
        List<FailedRoute> failedRoutes, LinkTransport transport, String fallback) {

    public ConnectionInfo {
        routes = List.copyOf(routes);
        dns = List.copyOf(dns);
        failedRoutes = List.copyOf(failedRoutes);
        java.util.Objects.requireNonNull(transport, "transport");
        fallback = fallback == null ? "" : fallback;
    }

    /** A tunnel over the transport its remote names ({@code host:port/tcp} is TCP, else UDP), with no fallback. */
    public ConnectionInfo(String remote, String device, String ipv4, String ipv6, String cipher, String tls, List<String> routes,
            List<String> dns, List<FailedRoute> failedRoutes) {
        this(remote, device, ipv4, ipv6, cipher, tls, routes, dns, failedRoutes,
                remote != null && remote.endsWith("/tcp") ? LinkTransport.TCP : LinkTransport.UDP, "");
    }

    /** This tunnel over {@code transport}, after {@code fallback}. */
    public ConnectionInfo withLink(LinkTransport transport, String fallback) {
        return new ConnectionInfo(remote, device, ipv4, ipv6, cipher, tls, routes, dns, failedRoutes, transport, fallback);
    }

    /** A builder that starts from this tunnel, every field as it is here. */
    public Builder toBuilder() {
        return new Builder(remote).device(device).ipv4(ipv4).ipv6(ipv6).cipher(cipher).tls(tls).routes(routes).dns(dns)
                .failedRoutes(failedRoutes).transport(transport, fallback);
    }

    /** A builder for the tunnel to {@code remote}: no addresses, routes or DNS servers yet. */
    public static Builder builder(String remote) {
        return new Builder(remote);
    }

    /**
     * Builds {@link ConnectionInfo} by name. Unless {@link #transport} is given, the tunnel is over the transport its
     * remote names ({@code host:port/tcp} is TCP, else UDP), with no fallback.
     */
    public static final class Builder {
        private final String remote;
        private String device;
        private String ipv4;
        private String ipv6;
        private String cipher;
        private String tls;
        private List<String> routes = List.of();
        private List<String> dns = List.of();
        private List<FailedRoute> failedRoutes = List.of();
        private LinkTransport transport;
        private String fallback = "";

        private Builder(String remote) {
            this.remote = remote;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /** Assigned IPv4 address with prefix, e.g. "10.8.0.2/24". */
        public Builder ipv4(String ipv4) {
            this.ipv4 = ipv4;
            return this;
        }

        public Builder ipv6(String ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        public Builder cipher(String cipher) {
            this.cipher = cipher;
            return this;
        }

        /** TLS protocol and suite. */
        public Builder tls(String tls) {
            this.tls = tls;
            return this;
        }

        public Builder routes(List<String> routes) {
            this.routes = routes;
            return this;
        }

        public Builder dns(List<String> dns) {
            this.dns = dns;
            return this;
        }

        public Builder failedRoutes(List<FailedRoute> failedRoutes) {
            this.failedRoutes = failedRoutes;
            return this;
        }

        /** How the packets reach the server, after {@code fallback} (why the remotes before were passed over). */
        public Builder transport(LinkTransport transport, String fallback) {
            this.transport = transport;
            this.fallback = fallback;
            return this;
        }

        public ConnectionInfo build() {
            LinkTransport t = transport != null ? transport
                    : remote != null && remote.endsWith("/tcp") ? LinkTransport.TCP : LinkTransport.UDP;
            return new ConnectionInfo(remote, device, ipv4, ipv6, cipher, tls, routes, dns, failedRoutes, t, fallback);
        }
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
