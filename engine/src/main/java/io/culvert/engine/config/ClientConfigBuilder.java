package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.RedirectGateway;
import io.culvert.engine.config.ClientConfig.Remote;
import io.culvert.engine.config.ClientConfig.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutable accumulator for {@link ClientConfig}: the client's own parts, pre-set to their {@code DEFAULTS}, and the
 * {@link SharedParts}. Not thread-safe.
 */
final class ClientConfigBuilder {
    final SharedParts shared = new SharedParts();
    final List<Remote> remotes = new ArrayList<>();
    boolean remoteRandom = ClientTransport.DEFAULTS.remoteRandom();
    int connectRetrySeconds = ClientTransport.DEFAULTS.connectRetrySeconds();
    int connectRetryMaxSeconds = ClientTransport.DEFAULTS.connectRetryMaxSeconds();
    int connectRetryMax = ClientTransport.DEFAULTS.connectRetryMax();
    int connectTimeoutSeconds = ClientTransport.DEFAULTS.connectTimeoutSeconds();
    int resolvRetrySeconds = ClientTransport.DEFAULTS.resolvRetrySeconds();
    boolean nobind;
    Integer lport;
    String localAddress;
    int shaper = ClientTransport.DEFAULTS.shaper();
    String bindDev = ClientTransport.DEFAULTS.bindDev();
    AuthUserPass authUserPass;
    boolean pull;
    boolean tlsClient;
    boolean routeNopull;
    final List<Route> routes = new ArrayList<>();
    RedirectGateway redirectGateway;
    final List<PullFilter> pullFilters = new ArrayList<>();
    final List<DhcpOption> dhcpOptions = new ArrayList<>();
    final DnsOptionsParser dns = DnsOptions.builder(false);
    DnsOptions dnsOptions = ClientRouting.DEFAULTS.dns();
    int routeMetric = ClientRouting.DEFAULTS.routeMetric();
    RouteExecution routeExecution = ClientRouting.DEFAULTS.routeExecution();
    boolean allowRecursiveRouting;
    int routeTable;
    KillSwitch killSwitch = KillSwitch.OFF;

    /** The config; {@code localPort} is the resolved bind port (0 = any). */
    ClientConfig build(int localPort) {
        SharedParts s = shared;
        return new ClientConfig(
                new ClientTransport(remotes, remoteRandom, connectRetrySeconds, connectRetryMaxSeconds, connectRetryMax,
                        connectTimeoutSeconds, resolvRetrySeconds, nobind, localPort, localAddress, shaper, bindDev),
                s.device(), s.keys(), s.wrap(), s.tls(), s.tlsTimers(), s.dataOptions(), s.keepalive(),
                new ClientRouting(routeNopull, routes, redirectGateway, pullFilters, routeMetric, dhcpOptions, dnsOptions,
                        routeExecution, allowRecursiveRouting, routeTable, killSwitch),
                authUserPass, pull, tlsClient, s.monitoring(), List.copyOf(s.ignored), s.warnings);
    }
}
