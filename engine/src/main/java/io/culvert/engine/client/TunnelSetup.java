package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionInfo.FailedRoute;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.client.ProfileNetwork.OwnRoute;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.NetCommandException;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.NextHop;
import io.culvert.engine.tun.TunDevice;
import io.culvert.engine.tun.TunFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a pushed configuration into a configured device: opens it, assigns addresses by topology, sets the
 * MTU and DNS, and installs routes (including redirect-gateway) at once, or later through {@link #addRoutes} with
 * {@code route-delay}, or never with {@code route-noexec}. A route that fails is recorded in the returned
 * {@link ConnectionInfo} and skipped, as in openvpn; a device or address that fails ends the setup.
 * {@link #close()} undoes all of it, and only what was added here (a route that was in place before is left alone).
 * Not thread-safe; used by the session thread.
 */
final class TunnelSetup implements AutoCloseable {
    private final TunFactory tunFactory;
    private final NetConfig net;
    private final DnsConfig dns;
    private final String devName;
    private final boolean tap;
    private final int tunMtu;
    private final ProfileNetwork local;
    private final boolean offload;
    private TunDevice device;
    /** {@code redirect-gateway ipv6}'s routes, as OpenVPN 2.6 and 2.7 install them. */
    static final List<String> REDIRECT6 = List.of("::/3", "2000::/4", "3000::/4", "fc00::/7");

    /** With the profile's own routes, route-metric and DNS settings in {@code local}; a plain device. */
    TunnelSetup(TunFactory tunFactory, NetConfig net, DnsConfig dns, String devName, boolean tap, int tunMtu,
            ProfileNetwork local) {
        this(tunFactory, net, dns, devName, tap, tunMtu, local, false);
    }

    /** {@code offload}: ask the factory for a device with kernel offloads (it falls back to a plain one). */
    TunnelSetup(TunFactory tunFactory, NetConfig net, DnsConfig dns, String devName, boolean tap, int tunMtu,
            ProfileNetwork local, boolean offload) {
        this.offload = offload;
        this.local = local;
        this.tunFactory = tunFactory;
        this.net = net;
        this.dns = dns;
        this.devName = devName;
        this.tap = tap;
        this.tunMtu = tunMtu;
    }

    TunDevice device() {
        return device;
    }

    /** What happened to the pushed DNS settings, for the log. */
    String dnsResult() {
        return dnsResult;
    }

    /** True when the DNS settings could not be applied; the tunnel is up without them. */
    boolean dnsFailed() {
        return dnsFailed;
    }

    /**
     * Hands the chosen DNS settings to the system. A failure (a bad pushed address, resolvectl refusing) is recorded,
     * not thrown: the tunnel carries traffic without them, as openvpn 2.7 warns "Failed running dns updown" and goes on.
     */
    private void applyDns(String dev) {
        try {
            dnsResult = dns.apply(dev, dnsChoice.servers(), dnsChoice.domains(), dnsChoice.defaultRoute());
            dnsFailed = false;
        } catch (IOException | RuntimeException e) {
            dnsResult = "DNS not applied: " + e.getMessage();
            dnsFailed = true;
        }
        if (!dnsChoice.unapplied().isEmpty()) {
            dnsResult += "; accepted but not applied (plain DNS only): " + String.join(", ", dnsChoice.unapplied());
        }
    }

    private String dnsResult = "";
    private boolean dnsFailed;
    /** The configuration last applied, the server's address and the device MTU set; for {@link #update}. */
    private PushedConfig current;
    private String server;
    private int mtuSet;
    /** Routes this setup added and has not removed, in the order added. */
    private final Set<RouteSpec> installed = new LinkedHashSet<>();
    private DnsChoice dnsChoice;
    /** The routes of the configuration being applied, until {@link #addRoutes} runs them. */
    private Supplier<RouteResult> pending;
    private int pushedRouteDelay = -1;
    /** The IPv4 address set on the device: {@code [cidr]}, {@code [local, peer]} (point-to-point) or none. */
    private List<String> addressSet = List.of();
    /** The IPv6 address set on the device (cidr), or null. */
    private String address6Set;

    ConnectionInfo apply(PushedConfig c, String server, String remoteDescription, String cipher, String tls) throws EngineException {
        int mtu = c.tunMtu() > 0 ? c.tunMtu() : tunMtu;
        String ipv4 = null;
        try {
            device = tunFactory.open(devName, tap, mtu, offload);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "cannot open " + (tap ? "tap" : "tun") + " device: " + e.getMessage(), e);
        }
        String dev = device.name();
        try {
            // Like openvpn, a device or address that cannot be set up ends the connection; a route does not.
            net.setLinkUp(dev, mtu);
            if (device.vnetHeaderLength() > 0) {
                net.limitSuperSegments(dev, TunDevice.SUPER_SEGMENT_LIMIT);
            }
            ipv4 = addAddresses(c, dev);
            String vpnGateway = vpnGateway(c);
            dnsChoice = DnsChoice.choose(local, c);
            applyDns(dev);
            String gateway = vpnGateway;
            this.server = server;
            this.current = c;
            this.mtuSet = mtu;
            pending = () -> installRoutes(c, gateway, server, dev);
            pushedRouteDelay = c.routeDelay();
        } catch (IOException | RuntimeException e) {
            close();
            throw new EngineException(ErrorKind.TUN_SETUP_FAILED, "configuring " + dev + " failed: " + e.getMessage(), e);
        }
        ConnectionInfo info = ConnectionInfo.builder(remoteDescription).device(dev).ipv4(ipv4).ipv6(c.ifconfigIpv6())
                .cipher(cipher).tls(tls).dns(dnsChoice.servers()).build();
        return routeDelaySeconds() >= 0 ? info : addRoutes(info);
    }

    /**
     * Gives the device the configuration's addresses by topology (a subnet address, or a point-to-point pair in
     * net30/p2p) and remembers them for {@link #removeAddresses}; returns the IPv4 address as reported, or null.
     */
    private String addAddresses(PushedConfig c, String dev) throws IOException {
        String ipv4 = null;
        if (c.ifconfig() != null) {
            String a = c.ifconfig().get(0);
            String b = c.ifconfig().get(1);
            if (tap || "subnet".equals(c.topology())) {
                ipv4 = a + "/" + prefixLength(b);
                net.addAddress(dev, ipv4);
                addressSet = List.of(ipv4);
            } else {
                ipv4 = a + "/32";
                net.addPeerAddress(dev, a, b);
                addressSet = List.of(a, b);
            }
        }
        if (c.ifconfigIpv6() != null) {
            net.addAddress6(dev, c.ifconfigIpv6());
            address6Set = c.ifconfigIpv6();
        }
        return ipv4;
    }

    /** Takes away the addresses {@link #addAddresses} set; one the kernel no longer has is noted, not thrown. */
    private void removeAddresses(String dev, List<String> notes) {
        try {
            if (addressSet.size() == 1) {
                net.removeAddress(dev, addressSet.getFirst());
            } else if (addressSet.size() == 2) {
                net.removePeerAddress(dev, addressSet.get(0), addressSet.get(1));
            }
        } catch (IOException | RuntimeException e) {
            notes.add("address " + String.join(" peer ", addressSet) + " not removed: " + e.getMessage());
        }
        addressSet = List.of();
        try {
            if (address6Set != null) {
                net.removeAddress6(dev, address6Set);
            }
        } catch (IOException | RuntimeException e) {
            notes.add("address " + address6Set + " not removed: " + e.getMessage());
        }
        address6Set = null;
    }

    /** The next hop of {@code vpn_gateway}: the pushed route-gateway, else the far end of a point-to-point address. */
    private String vpnGateway(PushedConfig c) {
        String gateway = c.routeGateway();
        if (gateway == null && c.ifconfig() != null && !tap && !"subnet".equals(c.topology())) {
            gateway = c.ifconfig().get(1);
        }
        return gateway;
    }

    /**
     * Seconds to wait after {@link #apply} before {@link #addRoutes} ({@code route-delay}, a pushed one before the
     * profile's); -1 to add them at once.
     */
    int routeDelaySeconds() {
        return pushedRouteDelay >= 0 ? pushedRouteDelay : local.routeExecution().delaySeconds();
    }

    /**
     * Installs the routes of the configuration {@link #apply} set up, once; with {@code route-noexec} none. Returns
     * {@code info} with the routes added and those that failed.
     */
    ConnectionInfo addRoutes(ConnectionInfo info) {
        Supplier<RouteResult> job = pending;
        pending = null;
        if (job == null || local.routeExecution().noexec()) {
            return info;
        }
        RouteResult r = job.get();
        return info.toBuilder().routes(r.added()).failedRoutes(r.failed()).build();
    }

    /** Routes installed (as prefixes) and routes refused, each in the order they were tried. */
    private record RouteResult(List<String> added, List<FailedRoute> failed) {}

    /**
     * One route as the kernel is asked for it; equal specs are applied once.
     *
     * @param gateway next hop, or null for a route to the device
     * @param metric -1 for none
     */
    private record RouteSpec(boolean ipv6, String cidr, String gateway, String device, int metric, int table) {
        @Override
        public String toString() {
            return cidr + (gateway == null ? "" : " via " + gateway) + " dev " + device + (metric < 0 ? "" : " metric " + metric);
        }
    }

    /**
     * Installs the profile's routes, then the pushed ones, then redirect-gateway's, each identical route once. A route
     * that cannot be resolved or that the kernel refuses is recorded with its reason and skipped, as openvpn does.
     */
    private RouteResult installRoutes(PushedConfig c, String vpnGateway, String server, String dev) {
        List<FailedRoute> failed = new ArrayList<>();
        Set<RouteSpec> specs = planRoutes(c, vpnGateway, server, dev, failed);
        for (RouteSpec r : specs) {
            add(r, failed);
        }
        return new RouteResult(installed.stream().map(RouteSpec::cidr).toList(), failed);
    }

    /**
     * The profile's routes, then the pushed ones, then redirect-gateway's, each identical route once. A route that
     * cannot be resolved is recorded in {@code failed} with its reason and left out, as openvpn does.
     */
    private Set<RouteSpec> planRoutes(PushedConfig c, String vpnGateway, String server, String dev, List<FailedRoute> failed) {
        Set<RouteSpec> specs = new LinkedHashSet<>();
        int metric = defaultMetric(c);
        // Each own route keeps the route-table read before its line; pushed ones take the profile's last, as in 2.7.
        for (OwnRoute r : concat(local.routes(), c.routes(), local.routeTable())) {
            plan(failed, specs, "route " + String.join(" ", r.words()),
                    () -> route(r.words(), vpnGateway, server, dev, metric, r.table()));
        }
        for (OwnRoute r : concat(local.routes6(), c.routes6(), local.routeTable())) {
            plan(failed, specs, "route-ipv6 " + String.join(" ", r.words()),
                    () -> route6(r.words(), c.ipv6Gateway(), dev, metric, r.table()));
        }
        Set<String> redirect = local.redirectGateway(c.redirectGateway());
        if (redirect != null) {
            plan(failed, specs, "redirect-gateway",
                    () -> redirectGateway(redirect, vpnGateway, c, server, dev, metric));
        }
        return withServerHostRoute6(specs, server, failed);
    }

    /**
     * {@code specs}, led by a host route to the server when it is reached over IPv6 and one of the IPv6 routes covers
     * its address, as openvpn's {@code init_route_ipv6_list} adds one: {@code server/128} through the kernel's current
     * next hop to it (no gateway when it is on-link), metric 1, in the main table; without it the tunnel would swallow
     * its own packets.
     */
    private Set<RouteSpec> withServerHostRoute6(Set<RouteSpec> specs, String server, List<FailedRoute> failed) {
        InetAddress remote = server == null ? null : RoutePrefixes.literal(server);
        if (!(remote instanceof java.net.Inet6Address)
                || specs.stream().noneMatch(r -> r.ipv6() && RoutePrefixes.covers(r.cidr(), remote))) {
            return specs;
        }
        Set<RouteSpec> led = new LinkedHashSet<>();
        plan(failed, led, "route-ipv6 " + server + "/128 net_gateway", () -> {
            NextHop via = net.routeTo(server).orElseThrow(() -> new IOException(
                    "an IPv6 route overlaps the server's address, but there is no route to " + server));
            return List.of(new RouteSpec(true, remote.getHostAddress() + "/128", via.gateway().orElse(null), via.device(),
                    1, 0));
        });
        led.addAll(specs);
        return led;
    }

    /**
     * The metric of routes that name none: a pushed {@code route-metric} replaces the profile's, as a later option does
     * in openvpn; 0 means none. -1 leaves the kernel's default.
     */
    private int defaultMetric(PushedConfig c) {
        if (c.routeMetric() < 0) {
            return local.defaultMetric();
        }
        return c.routeMetric() > 0 ? c.routeMetric() : -1;
    }

    /** Adds one route; one the kernel refuses is recorded in {@code failed} and skipped. */
    private void add(RouteSpec r, List<FailedRoute> failed) {
        try {
            if (r.ipv6()) {
                net.addRoute6(r.cidr(), r.gateway(), r.device(), r.metric(), r.table());
            } else {
                net.addRoute(r.cidr(), r.gateway(), r.device(), r.metric(), r.table());
            }
            installed.add(r);
        } catch (NetCommandException e) {
            failed.add(new FailedRoute(r.toString(), e.kernelReason(), e.exists()));
        } catch (IOException | IllegalArgumentException e) {
            failed.add(new FailedRoute(r.toString(), e.getMessage(), false));
        }
    }

    /**
     * Applies a {@code PUSH_UPDATE}: {@code c} is the whole pushed configuration after it. Routes are changed by
     * difference (those no longer wanted are removed, new ones added, the rest left in place so traffic on them never
     * stops), DNS is set again when it changed, a changed {@code tun-mtu} is set on the device. A changed
     * {@code ifconfig}, {@code ifconfig-ipv6} or {@code topology} moves the tunnel's address, as OpenVPN 2.7 does when it
     * reopens its device for an update: every route this tunnel added comes off, the old address goes, the new one is
     * set on the same device, and the routes go back through the new gateway. Route, address and DNS failures are
     * recorded, never thrown, as at connect time.
     *
     * @param info the tunnel as last reported
     * @param notes where to say what could not be applied
     */
    ConnectionInfo update(PushedConfig c, ConnectionInfo info, List<String> notes) {
        if (device == null || current == null) {
            notes.add("no tunnel to update");
            return info;
        }
        String dev = device.name();
        PushedConfig before = current;
        current = c;
        boolean moved = !java.util.Objects.equals(before.ifconfig(), c.ifconfig())
                || !java.util.Objects.equals(before.ifconfigIpv6(), c.ifconfigIpv6())
                || !java.util.Objects.equals(before.topology(), c.topology());
        String ipv4 = info.ipv4();
        String ipv6 = info.ipv6();
        if (moved) {
            removeRoutes(installed, notes); // they may go through the old address's gateway
            installed.clear(); // the kernel flushes what is left on the device when its last address goes
            removeAddresses(dev, notes);
            try {
                ipv4 = addAddresses(c, dev);
                ipv6 = c.ifconfigIpv6();
                notes.add("tunnel address now " + (ipv4 == null ? "none" : ipv4)
                        + (ipv6 == null ? "" : ", " + ipv6) + " (was " + (info.ipv4() == null ? "none" : info.ipv4())
                        + (info.ipv6() == null ? "" : ", " + info.ipv6()) + ")");
            } catch (IOException | RuntimeException e) {
                notes.add("new tunnel address not set: " + e.getMessage());
                ipv4 = null;
                ipv6 = null;
            }
            info = info.toBuilder().ipv4(ipv4).ipv6(ipv6).routes(List.of()).build();
        }
        int mtu = c.tunMtu() > 0 ? c.tunMtu() : tunMtu;
        if (mtu != mtuSet) {
            try {
                net.setLinkUp(dev, mtu);
                mtuSet = mtu;
            } catch (IOException | RuntimeException e) {
                notes.add("tun-mtu " + mtu + " not set: " + e.getMessage());
            }
        }
        DnsChoice choice = DnsChoice.choose(local, c);
        if (!choice.equals(dnsChoice)) {
            dns.revert();
            dnsChoice = choice;
            applyDns(dev);
            notes.add(dnsResult);
        }
        // The gateway the routes go through, as apply computed it, from the address the tunnel now has.
        String gateway = vpnGateway(c);
        if (pending != null) {
            pending = () -> installRoutes(c, gateway, server, dev); // route-delay: not in yet, the new set goes in
            return withDns(info);
        }
        if (local.routeExecution().noexec()) {
            return withDns(info);
        }
        List<FailedRoute> failed = new ArrayList<>();
        Set<RouteSpec> wanted = planRoutes(c, gateway, server, dev, failed);
        removeRoutes(installed.stream().filter(r -> !wanted.contains(r)).toList(), notes);
        for (RouteSpec r : wanted) {
            if (!installed.contains(r)) {
                add(r, failed);
            }
        }
        return info.toBuilder().routes(installed.stream().map(RouteSpec::cidr).toList()).dns(dnsChoice.servers())
                .failedRoutes(failed).build();
    }

    /**
     * Removes routes this setup added, newest first; one the kernel refuses to remove is noted and forgotten (the
     * kernel drops a route itself when the address it went through goes).
     */
    private void removeRoutes(java.util.Collection<RouteSpec> routes, List<String> notes) {
        List<RouteSpec> newestFirst = new ArrayList<>(routes);
        java.util.Collections.reverse(newestFirst);
        for (RouteSpec r : newestFirst) {
            try {
                if (r.ipv6()) {
                    net.removeRoute6(r.cidr(), r.gateway(), r.device(), r.metric(), r.table());
                } else {
                    net.removeRoute(r.cidr(), r.gateway(), r.device(), r.metric(), r.table());
                }
                installed.remove(r);
            } catch (IOException | RuntimeException e) {
                notes.add("route " + r + " not removed: " + e.getMessage());
            }
        }
    }

    private ConnectionInfo withDns(ConnectionInfo info) {
        return info.toBuilder().dns(dnsChoice.servers()).build();
    }

    /** Something that turns one route option into kernel routes, or says why it cannot. */
    private interface Planner {
        List<RouteSpec> specs() throws IOException;
    }

    private static void plan(List<FailedRoute> failed, Set<RouteSpec> specs, String option, Planner planner) {
        try {
            specs.addAll(planner.specs());
        } catch (IOException | IllegalArgumentException e) {
            failed.add(new FailedRoute(option, e.getMessage(), false));
        }
    }

    private List<RouteSpec> route(List<String> r, String vpnGateway, String server, String dev, int defaultMetric,
                                  int table) throws IOException {
        String netAddr = r.get(0).equals("remote_host") ? server : r.get(0);
        String mask = r.size() > 1 && !r.get(1).equals("default") ? r.get(1) : "255.255.255.255";
        String gwWord = r.size() > 2 && !r.get(2).equals("default") ? r.get(2) : "vpn_gateway";
        int metric = r.size() > 3 ? Integer.parseInt(r.get(3)) : defaultMetric;
        String cidr = netAddr + "/" + prefixLength(mask);
        if (gwWord.equals("net_gateway")) {
            NextHop via = net.routeTo(server).orElseThrow(() -> new IOException("no route to " + server + " for net_gateway"));
            return List.of(new RouteSpec(false, cidr, via.gateway().orElse(null), via.device(), metric, table));
        }
        String gw = gwWord.equals("vpn_gateway") ? vpnGateway : gwWord;
        return List.of(new RouteSpec(false, cidr, gw, dev, metric, table));
    }

    private List<RouteSpec> route6(List<String> r, String ipv6Gateway, String dev, int defaultMetric, int table)
            throws IOException {
        String gw = r.size() > 1 && !r.get(1).equals("vpn_gateway") ? r.get(1) : ipv6Gateway;
        boolean metricZero = r.size() > 2 && Integer.parseInt(r.get(2)) == 0;
        int metric = r.size() > 2 ? Integer.parseInt(r.get(2)) : defaultMetric;
        return List.of(new RouteSpec(true, r.get(0), gateway6(r.get(0), gw, metricZero), dev, metric, table));
    }

    /**
     * The next hop of an IPv6 route on the tunnel, as openvpn's {@code add_route_ipv6} picks it on Linux: none on a tun
     * device (the device says where), the route's gateway (else {@code ifconfig-ipv6}'s remote end) on a tap device
     * unless its metric is 0 (on-link); a tap route with no gateway to use is not installed.
     */
    private String gateway6(String prefix, String gateway, boolean metricZero) throws IOException {
        if (!tap || metricZero) {
            return null;
        }
        if (gateway == null) {
            throw new IOException("a route-ipv6 on a tap device needs a gateway, and neither the route nor ifconfig-ipv6"
                    + " or route-ipv6-gateway gives one: " + prefix + " not installed");
        }
        return gateway;
    }

    private List<RouteSpec> redirectGateway(Set<String> flags, String vpnGateway, PushedConfig c, String server,
                                            String dev, int defaultMetric) throws IOException {
        List<RouteSpec> specs = new ArrayList<>();
        if (!flags.contains("!ipv4")) {
            // A host route to an IPv4 server only; one reached over IPv6 gets its own (withServerHostRoute6).
            if (!flags.contains("local") && !(RoutePrefixes.literal(server) instanceof java.net.Inet6Address)) {
                var via = net.routeTo(server);
                if (via.isPresent() && via.get().gateway().isPresent()) {
                    specs.add(new RouteSpec(false, server + "/32", via.get().gateway().get(), via.get().device(), -1, 0));
                }
            }
            // def1 semantics always: two /1 routes override the default without deleting it.
            specs.add(new RouteSpec(false, "0.0.0.0/1", vpnGateway, dev, -1, 0));
            specs.add(new RouteSpec(false, "128.0.0.0/1", vpnGateway, dev, -1, 0));
        }
        if (flags.contains("ipv6") && c.ifconfigIpv6() != null) {
            // openvpn (init.c, do_init_route_ipv6_list) adds these four to its route-ipv6 list when the tunnel has an
            // IPv6 address: together they cover the global unicast space (2000::/3) and unique local addresses,
            // without deleting the default route; being route-ipv6 lines, they take route-metric and the last
            // route-table, which the IPv4 ones do not.
            for (String prefix : REDIRECT6) {
                specs.add(new RouteSpec(true, prefix, gateway6(prefix, c.ipv6Gateway(), false), dev, defaultMetric,
                        local.routeTable()));
            }
        }
        return specs;
    }

    /** The profile's routes, then the pushed ones in {@code pushedTable}. */
    private static List<OwnRoute> concat(List<OwnRoute> own, List<List<String>> pushed, int pushedTable) {
        List<OwnRoute> all = new ArrayList<>(own);
        pushed.forEach(w -> all.add(new OwnRoute(w, pushedTable)));
        return all;
    }

    static int prefixLength(String netmask) {
        try {
            byte[] b = InetAddress.getByName(netmask).getAddress();
            int bits = 0;
            for (byte x : b) {
                bits += Integer.bitCount(x & 0xff);
            }
            return bits;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad netmask " + netmask, e);
        }
    }

    @Override
    public void close() {
        dns.revert();
        net.undoAll();
        installed.clear();
        current = null;
        if (device != null) {
            device.close();
            device = null;
        }
    }
}
