package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.Route;
import java.util.List;

/**
 * What the server routes and pushes: the common part of every PUSH_REPLY in OpenVPN 2.6 order (config
 * {@code push} lines, then helper pushes, then keepalive) and the server-side routes. Instances are immutable.
 *
 * @param pushes the pushed options, without the per-client {@code ifconfig}
 * @param routes {@code route} lines and helper routes (IPv4)
 * @param ipv6Routes {@code route-ipv6} lines
 * @param gateway gateway mode ({@code culvert-gateway}), or null when the server forwards nothing for its clients
 * @param natRoutes networks behind the server the clients reach through it ({@code culvert-nat-route}), in file order
 */
public record ServerRouting(List<String> pushes, List<Route> routes, List<Route> ipv6Routes, Gateway gateway,
        List<NatRoute> natRoutes) {
    public ServerRouting {
        natRoutes = List.copyOf(natRoutes);
        pushes = List.copyOf(pushes);
        routes = List.copyOf(routes);
        ipv6Routes = List.copyOf(ipv6Routes);
    }
}
