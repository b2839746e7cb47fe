package io.culvert.engine.client;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.DnsOptions;
import io.culvert.engine.config.RouteExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tunnel network settings a profile brings itself, merged with the push when the tunnel comes up:
 * its routes, the {@code route-metric} default, {@code --dns} and {@code dhcp-option} DNS settings.
 * Instances are immutable.
 *
 * @param routeMetric default metric for routes without one; 0 = none (OpenVPN's "unset")
 * @param routes IPv4 routes, each as the words after {@code route} with its table
 * @param routes6 IPv6 routes, each as the words after {@code route-ipv6} with its table
 * @param dns the profile's {@code --dns} options
 * @param dhcpDns servers from {@code dhcp-option DNS/DNS6}
 * @param dhcpDomains domains from {@code dhcp-option DOMAIN/DOMAIN-SEARCH/ADAPTER_DOMAIN_SUFFIX}
 * @param redirectGateway the profile's own {@code redirect-gateway} flags, or null; a pushed one replaces it
 * @param routeExecution whether and when routes are installed ({@code route-noexec}, {@code route-delay})
 * @param routeTable the profile's last {@code route-table} (0 = main): the table of pushed routes and of
 *                   redirect-gateway's IPv6 routes, as OpenVPN 2.7 adds them after reading the whole profile
 */
public record ProfileNetwork(int routeMetric, List<OwnRoute> routes, List<OwnRoute> routes6, DnsOptions dns,
        List<String> dhcpDns, List<String> dhcpDomains, Set<String> redirectGateway, RouteExecution routeExecution,
        int routeTable) {
    /**
     * One of the profile's own routes.
     *
     * @param words the words after {@code route} or {@code route-ipv6}
     * @param table the {@code route-table} read before the route's line (0 = main)
     */
    public record OwnRoute(List<String> words, int table) {
        public OwnRoute {
            words = List.copyOf(words);
        }
    }

    /** Nothing configured locally. */
    public static final ProfileNetwork NONE = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of());

    /** Routes in the main table. */
    public ProfileNetwork(int routeMetric, List<List<String>> routes, List<List<String>> routes6, DnsOptions dns,
            List<String> dhcpDns, List<String> dhcpDomains, Set<String> redirectGateway, RouteExecution routeExecution) {
        this(routeMetric, inMain(routes), inMain(routes6), dns, dhcpDns, dhcpDomains, redirectGateway, routeExecution, 0);
    }

    /** Routes installed at once. */
    public ProfileNetwork(int routeMetric, List<List<String>> routes, List<List<String>> routes6, DnsOptions dns,
            List<String> dhcpDns, List<String> dhcpDomains, Set<String> redirectGateway) {
        this(routeMetric, routes, routes6, dns, dhcpDns, dhcpDomains, redirectGateway, RouteExecution.DEFAULT);
    }

    /** Settings without a profile-level redirect-gateway. */
    public ProfileNetwork(int routeMetric, List<List<String>> routes, List<List<String>> routes6, DnsOptions dns,
            List<String> dhcpDns, List<String> dhcpDomains) {
        this(routeMetric, routes, routes6, dns, dhcpDns, dhcpDomains, null);
    }

    public ProfileNetwork {
        redirectGateway = redirectGateway == null ? null : Set.copyOf(redirectGateway);
        routes = List.copyOf(routes);
        routes6 = List.copyOf(routes6);
        dhcpDns = List.copyOf(dhcpDns);
        dhcpDomains = List.copyOf(dhcpDomains);
    }

    /** The network settings of {@code c}. */
    public static ProfileNetwork from(ClientConfig c) {
        List<OwnRoute> v4 = new ArrayList<>();
        List<OwnRoute> v6 = new ArrayList<>();
        for (ClientConfig.Route r : c.routing().routes()) {
            if (r.network().indexOf(':') >= 0) {
                v6.add(new OwnRoute(route6(r.network(), r.gateway(), r.metric()), r.table()));
            } else {
                v4.add(new OwnRoute(route4(r.network(), r.netmask(), r.gateway(), r.metric()), r.table()));
            }
        }
        List<String> servers = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        for (ClientConfig.DhcpOption o : c.routing().dhcpOptions()) {
            if (o.value() == null) {
                continue;
            }
            switch (o.type().toUpperCase(Locale.ROOT)) {
                case "DNS", "DNS6" -> servers.add(o.value());
                case "DOMAIN", "DOMAIN-SEARCH", "ADAPTER_DOMAIN_SUFFIX" -> domains.add(o.value());
                default -> { }
            }
        }
        // redirect-private keeps the default route as it is, so only redirect-gateway changes what is routed.
        Set<String> redirect = c.routing().redirectGateway() == null || c.routing().redirectGateway().privateOnly() ? null
                : c.routing().redirectGateway().flags();
        return new ProfileNetwork(c.routing().routeMetric(), v4, v6, c.routing().dns(), servers, domains, redirect,
                c.routing().routeExecution(), c.routing().routeTable());
    }

    /** The redirect-gateway flags in force: the pushed ones, else the profile's own; null for none. */
    Set<String> redirectGateway(Set<String> pushed) {
        return pushed != null ? pushed : redirectGateway;
    }

    /** The metric for a route that names none, in {@link io.culvert.engine.tun.NetConfig} terms (-1 = none). */
    int defaultMetric() {
        return routeMetric > 0 ? routeMetric : -1;
    }

    private static List<OwnRoute> inMain(List<List<String>> routes) {
        return routes.stream().map(w -> new OwnRoute(w, 0)).toList();
    }

    /** {@code route-ipv6} words: network, then gateway and metric when given. */
    private static List<String> route6(String network, String gateway, Integer metric) {
        List<String> w = new ArrayList<>(List.of(network));
        if (gateway != null || metric != null) {
            w.add(gateway == null ? "vpn_gateway" : gateway);
        }
        if (metric != null) {
            w.add(Integer.toString(metric));
        }
        return List.copyOf(w);
    }

    /** {@code route} words: network, netmask, gateway ({@code default} when unset), then the metric when given. */
    private static List<String> route4(String network, String netmask, String gateway, Integer metric) {
        List<String> w = new ArrayList<>(List.of(network, netmask == null ? "default" : netmask, gateway == null ? "default" : gateway));
        if (metric != null) {
            w.add(Integer.toString(metric));
        }
        return List.copyOf(w);
    }
}
