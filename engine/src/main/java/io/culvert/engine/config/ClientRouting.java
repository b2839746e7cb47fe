package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.RedirectGateway;
import io.culvert.engine.config.ClientConfig.Route;
import java.util.List;

/**
 * The client's own routes and name servers, and the filters for what the server pushes.
 * Instances are immutable.
 *
 * @param routeNopull {@code route-nopull}
 * @param routes {@code route} and {@code route-ipv6} lines in order
 * @param redirectGateway {@code redirect-gateway} or {@code redirect-private}, or null
 * @param pullFilters {@code pull-filter} lines in order
 * @param routeMetric {@code route-metric} (0 = none)
 * @param dhcpOptions {@code dhcp-option} lines in order
 * @param dns the {@code dns} options ({@link DnsOptions#EMPTY} when none)
 * @param routeExecution whether and when routes are installed ({@code route-noexec}, {@code route-delay})
 * @param killSwitch {@code culvert-kill-switch}: Culvert's own, nothing leaves but the tunnel and the link to the server
 * @param allowRecursiveRouting {@code allow-recursive-routing}: tunnel packets to the server's own address and port
 *                              are sent instead of dropped
 * @param routeTable the last {@code route-table}: the kernel routing table pushed routes and redirect-gateway's IPv6
 *                   routes go to (0 = main); each of {@code routes} carries the table in force at its own line
 */
public record ClientRouting(boolean routeNopull, List<Route> routes, RedirectGateway redirectGateway,
                            List<PullFilter> pullFilters, int routeMetric, List<DhcpOption> dhcpOptions,
                            DnsOptions dns, RouteExecution routeExecution, boolean allowRecursiveRouting,
                            int routeTable, KillSwitch killSwitch) {
    /** Nothing of the client's own; everything pushed is taken. */
    public static final ClientRouting DEFAULTS =
            new ClientRouting(false, List.of(), null, List.of(), 0, List.of(), DnsOptions.EMPTY, RouteExecution.DEFAULT,
                    false, 0, KillSwitch.OFF);

    public ClientRouting {
        routes = List.copyOf(routes);
        pullFilters = List.copyOf(pullFilters);
        dhcpOptions = List.copyOf(dhcpOptions);
    }
}
