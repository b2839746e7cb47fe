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
 */
public record ConnectionInfo(
        String remote, String device, String ipv4, String ipv6, String cipher, String tls, List<String> routes, List<String> dns) {

    public ConnectionInfo {
        routes = List.copyOf(routes);
        dns = List.copyOf(dns);
    }
}
