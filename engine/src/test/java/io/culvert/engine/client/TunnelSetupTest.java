package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionInfo;
import io.culvert.engine.api.ConnectionInfo.FailedRoute;
import io.culvert.engine.config.DnsOptions;
import io.culvert.engine.config.RouteExecution;
import io.culvert.engine.tun.CommandRunner;
import io.culvert.engine.tun.DnsConfig;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.IpCommandNetConfig;
import io.culvert.engine.tun.NetConfig;
import io.culvert.engine.tun.NextHop;
import io.culvert.engine.tun.TunDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link TunnelSetup} asks of the host: routes with route-metric, and the chosen DNS settings. */
class TunnelSetupTest {
    private final List<String> net = new ArrayList<>();
    private final List<List<String>> resolvectl = new ArrayList<>();
    /** What the recording host answers for the route to any address. */
    private Optional<NextHop> nextHop = Optional.empty();

    private final NetConfig recordingNet = new NetConfig() {
        @Override
        public void setLinkUp(String dev, int mtu) {}

        @Override
        public void limitSuperSegments(String dev, int segments) {
            net.add("gso_max_segs " + segments + " " + dev);
        }

        @Override
        public void addAddress(String dev, String cidr) {
            net.add("addr " + cidr + " " + dev);
        }

        @Override
        public void addPeerAddress(String dev, String local, String peer) {
            net.add("peer " + local + " " + peer + " " + dev);
        }

        @Override
        public void addRoute(String cidr, String gw, String dev, int metric) {
            net.add("route " + cidr + " via " + gw + " dev " + dev + " metric " + metric);
        }

        @Override
        public void addRoute(String cidr, String gw, String dev, int metric, int table) {
            net.add("route " + cidr + " via " + gw + " dev " + dev + " metric " + metric + (table == 0 ? "" : " table " + table));
        }

        @Override
        public void addRoute6(String cidr, String gw, String dev, int metric, int table) {
            net.add("route6 " + cidr + " via " + gw + " dev " + dev + " metric " + metric + (table == 0 ? "" : " table " + table));
        }

        @Override
        public void addAddress6(String dev, String cidr) {
            net.add("addr6 " + cidr + " " + dev);
        }

        @Override
        public void addRoute6(String cidr, String gw, String dev, int metric) {
            net.add("route6 " + cidr + " via " + gw + " dev " + dev + " metric " + metric);
        }

        @Override
        public Optional<NextHop> routeTo(String address) {
            return nextHop;
        }

        @Override
        public Optional<NextHop> defaultGateway() {
            return Optional.empty();
        }

        @Override
        public void undoAll() {
            net.add("undo");
        }
    };

    private TunnelSetup setup(ProfileNetwork local) {
        DnsConfig dns = new DnsConfig(argv -> {
            resolvectl.add(argv);
            return CommandRunner.Result.ok("");
        }, true);
        return new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tun7", false, mtu), recordingNet, dns, "tun", false, 1500, local);
    }

    private static PushedConfig push(String... options) throws Exception {
        return PushedConfig.from(Arrays.stream(options).map(o -> List.of(o.split(" "))).toList());
    }

    @Test
    void routeMetricIsTheDefaultForProfileAndPushedRoutesButNotForRedirectGateway() throws Exception {
        ProfileNetwork local = new ProfileNetwork(42, List.of(List.of("192.168.50.0", "255.255.255.0", "default"),
                List.of("192.168.60.0", "255.255.255.0", "default", "7")), List.of(List.of("fd50::/64")), DnsOptions.EMPTY,
                List.of(), List.of());
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "ifconfig-ipv6 fd00::2/64 fd00::1", "route 10.78.0.0 255.255.255.0", "route 10.79.0.0 255.255.255.0 10.8.0.1 9",
                    "route-ipv6 fd78::/64", "redirect-gateway def1"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tun7",
                "addr6 fd00::2/64 tun7",
                "route 192.168.50.0/24 via 10.8.0.1 dev tun7 metric 42",
                "route 192.168.60.0/24 via 10.8.0.1 dev tun7 metric 7",
                "route 10.78.0.0/24 via 10.8.0.1 dev tun7 metric 42",
                "route 10.79.0.0/24 via 10.8.0.1 dev tun7 metric 9",
                "route6 fd50::/64 via null dev tun7 metric 42",
                "route6 fd78::/64 via null dev tun7 metric 42",
                "route 0.0.0.0/1 via 10.8.0.1 dev tun7 metric -1",
                "route 128.0.0.0/1 via 10.8.0.1 dev tun7 metric -1",
                "undo"), net);
    }

    /** A pushed {@code route-metric} replaces the profile's, as a later option does in openvpn; a route's own metric wins. */
    @Test
    void aPushedRouteMetricReplacesTheProfilesAndZeroMeansNone() throws Exception {
        ProfileNetwork local = new ProfileNetwork(42, List.of(List.of("192.168.50.0", "255.255.255.0", "default")),
                List.of(), DnsOptions.EMPTY, List.of(), List.of());
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1", "route-metric 77",
                    "route 10.78.0.0 255.255.255.0", "route 10.79.0.0 255.255.255.0 10.8.0.1 9"), "192.0.2.10", "r",
                    "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tun7",
                "route 192.168.50.0/24 via 10.8.0.1 dev tun7 metric 77",
                "route 10.78.0.0/24 via 10.8.0.1 dev tun7 metric 77",
                "route 10.79.0.0/24 via 10.8.0.1 dev tun7 metric 9",
                "undo"), net);
        net.clear();
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1", "route-metric 0",
                    "route 10.78.0.0 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tun7",
                "route 192.168.50.0/24 via 10.8.0.1 dev tun7 metric -1",
                "route 10.78.0.0/24 via 10.8.0.1 dev tun7 metric -1",
                "undo"), net);
    }

    /**
     * DNS that cannot be applied (resolvectl refusing) is a warning, not the end of the connection: the routes still go
     * in and the tunnel comes up, as openvpn 2.7 warns "Failed running dns updown" and goes on.
     */
    @Test
    void dnsThatCannotBeAppliedLeavesTheTunnelUp() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of());
        DnsConfig refusing = new DnsConfig(argv -> new CommandRunner.Result(1, "", "Failed to set DNS configuration"), true);
        try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tun7", false, mtu), recordingNet, refusing,
                "tun", false, 1500, local)) {
            var info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "dhcp-option DNS 10.8.0.53", "route 10.78.0.0 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            assertEquals("10.8.0.2/24", info.ipv4());
            assertTrue(t.dnsFailed());
            assertTrue(t.dnsResult().startsWith("DNS not applied: resolvectl dns tun7 10.8.0.53 failed (exit 1)"),
                    t.dnsResult());
        }
        assertEquals(List.of("addr 10.8.0.2/24 tun7", "route 10.78.0.0/24 via 10.8.0.1 dev tun7 metric -1", "undo"), net);
    }

    /**
     * {@code route-table} as OpenVPN 2.7 applies it: an own route takes the table read before its line, pushed routes
     * and redirect-gateway's IPv6 routes the profile's last one, redirect-gateway's IPv4 routes stay in main.
     */
    @Test
    void eachOwnRouteTakesTheTableBeforeItsLineAndPushedRoutesTheLast() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0,
                List.of(new ProfileNetwork.OwnRoute(List.of("192.168.50.0", "255.255.255.0", "default"), 0),
                        new ProfileNetwork.OwnRoute(List.of("192.168.60.0", "255.255.255.0", "default"), 100)),
                List.of(new ProfileNetwork.OwnRoute(List.of("fd60::/64"), 100)), DnsOptions.EMPTY, List.of(), List.of(),
                null, RouteExecution.DEFAULT, 200);
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "ifconfig-ipv6 fd00::2/64 fd00::1", "route 10.78.0.0 255.255.255.0", "route-ipv6 fd78::/64",
                    "redirect-gateway def1 ipv6"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tun7",
                "addr6 fd00::2/64 tun7",
                "route 192.168.50.0/24 via 10.8.0.1 dev tun7 metric -1",
                "route 192.168.60.0/24 via 10.8.0.1 dev tun7 metric -1 table 100",
                "route 10.78.0.0/24 via 10.8.0.1 dev tun7 metric -1 table 200",
                "route6 fd60::/64 via null dev tun7 metric -1 table 100",
                "route6 fd78::/64 via null dev tun7 metric -1 table 200",
                "route 0.0.0.0/1 via 10.8.0.1 dev tun7 metric -1",
                "route 128.0.0.0/1 via 10.8.0.1 dev tun7 metric -1",
                "route6 ::/3 via null dev tun7 metric -1 table 200",
                "route6 2000::/4 via null dev tun7 metric -1 table 200",
                "route6 3000::/4 via null dev tun7 metric -1 table 200",
                "route6 fc00::/7 via null dev tun7 metric -1 table 200",
                "undo"), net);
    }

    /**
     * {@code redirect-gateway ipv6} installs what OpenVPN 2.6 and 2.7 install ({@code init.c}): {@code ::/3},
     * {@code 2000::/4}, {@code 3000::/4} and {@code fc00::/7} on the tun device, with no next hop (add_route_ipv6 names
     * none on tun), route-metric, and the profile's route-table; over IPv4 no host route to the server is needed.
     */
    @Test
    void redirectGatewayIpv6InstallsStocksFourRoutes() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of(), null,
                RouteExecution.DEFAULT, 0);
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1", "route-metric 9",
                    "ifconfig-ipv6 fd00::2/64 fd00::1", "redirect-gateway ipv6 !ipv4"), "192.0.2.10", "r", "AES-256-GCM",
                    "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tun7",
                "addr6 fd00::2/64 tun7",
                "route6 ::/3 via null dev tun7 metric 9",
                "route6 2000::/4 via null dev tun7 metric 9",
                "route6 3000::/4 via null dev tun7 metric 9",
                "route6 fc00::/7 via null dev tun7 metric 9",
                "undo"), net);
    }

    /** Without an IPv6 address on the tunnel openvpn adds no IPv6 redirect routes ({@code ifconfig_ipv6_local} unset). */
    @Test
    void redirectGatewayIpv6WithoutAnIpv6AddressAddsNothing() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of());
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "redirect-gateway ipv6 !ipv4"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of("addr 10.8.0.2/24 tun7", "undo"), net);
    }

    /**
     * A server reached over IPv6 at an address the redirect routes cover (fd00::/8 lies in fc00::/7) keeps its path:
     * first a host route to it through the kernel's next hop, metric 1, main table, as openvpn's init_route_ipv6_list
     * adds one; routes that do not cover it add none.
     */
    @Test
    void anIpv6ServerInsideARedirectRouteGetsAHostRouteFirst() throws Exception {
        nextHop = Optional.of(new NextHop(Optional.of("fe80::1"), "eth0"));
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of(), null,
                RouteExecution.DEFAULT, 100);
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig-ipv6 fd00::2/64 fd00::1", "redirect-gateway ipv6 !ipv4"),
                    "fd00:201::1", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr6 fd00::2/64 tun7",
                "route6 fd00:201:0:0:0:0:0:1/128 via fe80::1 dev eth0 metric 1",
                "route6 ::/3 via null dev tun7 metric -1 table 100",
                "route6 2000::/4 via null dev tun7 metric -1 table 100",
                "route6 3000::/4 via null dev tun7 metric -1 table 100",
                "route6 fc00::/7 via null dev tun7 metric -1 table 100",
                "undo"), net);
        net.clear();
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig-ipv6 fd00::2/64 fd00::1", "route-ipv6 fd99::/64"), "fd00:201::1",
                    "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of("addr6 fd00::2/64 tun7", "route6 fd99::/64 via null dev tun7 metric -1 table 100", "undo"), net);
    }

    /** On a tap device openvpn gives IPv6 routes a next hop: the route's own, else ifconfig-ipv6's remote end. */
    @Test
    void ipv6RoutesOnTapTakeTheTunnelsIpv6Gateway() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of());
        DnsConfig dns = new DnsConfig(argv -> CommandRunner.Result.ok(""), true);
        try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tap7", true, mtu), recordingNet, dns,
                "tap", true, 1500, local)) {
            t.apply(push("ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1", "ifconfig-ipv6 fd00::2/64 fd00::1",
                    "route-ipv6 fd98::/64 fd00::9", "redirect-gateway ipv6 !ipv4"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of(
                "addr 10.8.0.2/24 tap7",
                "addr6 fd00::2/64 tap7",
                "route6 fd98::/64 via fd00::9 dev tap7 metric -1",
                "route6 ::/3 via fd00::1 dev tap7 metric -1",
                "route6 2000::/4 via fd00::1 dev tap7 metric -1",
                "route6 3000::/4 via fd00::1 dev tap7 metric -1",
                "route6 fc00::/7 via fd00::1 dev tap7 metric -1",
                "undo"), net);
    }

    @Test
    void coversComparesThePrefixBits() throws Exception {
        java.net.InetAddress a = java.net.InetAddress.getByName("fd00:201::1");
        assertTrue(RoutePrefixes.covers("fc00::/7", a));
        assertTrue(RoutePrefixes.covers("fd00:201::/64", a));
        assertTrue(!RoutePrefixes.covers("::/3", a) && !RoutePrefixes.covers("2000::/4", a) && !RoutePrefixes.covers("fe00::/7", a));
        assertTrue(RoutePrefixes.covers("2000::/4", java.net.InetAddress.getByName("2a01::1")));
        assertTrue(!RoutePrefixes.covers("2000::/4", java.net.InetAddress.getByName("3fff::1")));
        assertTrue(RoutePrefixes.covers("2000::/3", java.net.InetAddress.getByName("3fff::1")));
        assertTrue(!RoutePrefixes.covers("0.0.0.0/1", a));
    }

    /** Issue 10: a device opened with offloads gets its super-segments capped; a plain one is left alone. */
    @Test
    void anOffloadDeviceHasItsSuperSegmentsCapped() throws Exception {
        DnsConfig dns = new DnsConfig(argv -> CommandRunner.Result.ok(""), true);
        for (int vnet : new int[] {10, 0}) {
            net.clear();
            TunDevice device = new TunDevice() {
                private final InMemoryTun inner = new InMemoryTun("tun8", false, 1500);

                @Override public String name() { return inner.name(); }
                @Override public boolean isTap() { return false; }
                @Override public int mtu() { return inner.mtu(); }
                @Override public int vnetHeaderLength() { return vnet; }
                @Override public int read(byte[] buf, int off, int len) throws java.io.IOException { return inner.read(buf, off, len); }
                @Override public void write(byte[] buf, int off, int len) throws java.io.IOException { inner.write(buf, off, len); }
                @Override public void close() { inner.close(); }
            };
            try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> device, recordingNet, dns, "tun", false, 1500,
                    ProfileNetwork.NONE)) {
                t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            }
            assertEquals(vnet > 0 ? List.of("gso_max_segs " + TunDevice.SUPER_SEGMENT_LIMIT + " tun8", "addr 10.8.0.2/24 tun8", "undo")
                    : List.of("addr 10.8.0.2/24 tun8", "undo"), net, "vnet header " + vnet);
        }
    }

    @Test
    void theProfilesOwnRedirectGatewayAppliesUnlessThePushBringsOne() throws Exception {
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of(),
                java.util.Set.of("def1"));
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1"),
                    "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of("addr 10.8.0.2/24 tun7", "route 0.0.0.0/1 via 10.8.0.1 dev tun7 metric -1",
                "route 128.0.0.0/1 via 10.8.0.1 dev tun7 metric -1", "undo"), net);

        net.clear();
        try (TunnelSetup t = setup(local)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "redirect-gateway def1 !ipv4"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of("addr 10.8.0.2/24 tun7", "undo"), net, "the pushed flags replace the profile's");
    }

    @Test
    void aRouteTheKernelRefusesIsReportedSkippedAndNeverDeletedAndARepeatedRouteIsAddedOnce() throws Exception {
        List<String> ip = new ArrayList<>();
        NetConfig kernel = new IpCommandNetConfig(argv -> {
            String cmd = String.join(" ", argv.subList(1, argv.size()));
            ip.add(cmd);
            return cmd.startsWith("route add 10.8.0.0/24")
                    ? new CommandRunner.Result(2, "", "RTNETLINK answers: File exists\n") : CommandRunner.Result.ok("");
        }, null);
        DnsConfig dns = new DnsConfig(argv -> CommandRunner.Result.ok(""), true);
        ConnectionInfo info;
        try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tun7", false, mtu), kernel, dns, "tun", false,
                1500, ProfileNetwork.NONE)) {
            info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "route 10.8.0.0 255.255.255.0", "route 10.78.0.0 255.255.255.0", "route 10.78.0.0 255.255.255.0",
                    "route 10.79.0.0 255.255.255.0 not-an-address"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals(List.of("10.78.0.0/24"), info.routes());
        assertEquals(List.of(new FailedRoute("10.8.0.0/24 via 10.8.0.1 dev tun7", "RTNETLINK answers: File exists", true),
                new FailedRoute("10.79.0.0/24 via not-an-address dev tun7", "not a valid IPv4 address: 'not-an-address'",
                        false)),
                info.failedRoutes());
        assertEquals(List.of("link set dev tun7 mtu 1500 up", "addr add 10.8.0.2/24 dev tun7",
                "route add 10.8.0.0/24 via 10.8.0.1 dev tun7", "route add 10.78.0.0/24 via 10.8.0.1 dev tun7",
                "route del 10.78.0.0/24 via 10.8.0.1 dev tun7", "addr del 10.8.0.2/24 dev tun7"), ip);
    }

    /** PUSH_UPDATE: routes change by difference, only routes this tunnel added are removed, DNS is set again. */
    @Test
    void anUpdateChangesRoutesByDifferenceAndResetsDns() throws Exception {
        List<String> ip = new ArrayList<>();
        NetConfig kernel = new IpCommandNetConfig(argv -> {
            ip.add(String.join(" ", argv.subList(1, argv.size())));
            return CommandRunner.Result.ok("");
        }, null);
        DnsConfig dns = new DnsConfig(argv -> {
            resolvectl.add(argv);
            return CommandRunner.Result.ok("");
        }, true);
        ProfileNetwork local = new ProfileNetwork(0, List.of(List.of("192.168.50.0", "255.255.255.0")), List.of(),
                DnsOptions.EMPTY, List.of(), List.of());
        try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tun7", false, mtu), kernel, dns, "tun", false,
                1500, local)) {
            ConnectionInfo info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "route 10.78.0.0 255.255.255.0", "route 10.79.0.0 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            assertEquals(List.of("192.168.50.0/24", "10.78.0.0/24", "10.79.0.0/24"), info.routes());
            ip.clear();
            resolvectl.clear();
            List<String> notes = new ArrayList<>();
            ConnectionInfo after = t.update(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route-gateway 10.8.0.1",
                    "route 10.79.0.0 255.255.255.0", "route 10.80.0.0 255.255.0.0", "dhcp-option DNS 10.8.0.53"), info, notes);
            assertEquals(List.of("route del 10.78.0.0/24 via 10.8.0.1 dev tun7", "route add 10.80.0.0/16 via 10.8.0.1 dev tun7"), ip,
                    "the profile's route and the unchanged pushed one stay in place");
            assertEquals(List.of("192.168.50.0/24", "10.79.0.0/24", "10.80.0.0/16"), after.routes());
            assertEquals(List.of("10.8.0.53"), after.dns());
            assertEquals(List.of("resolvectl", "dns", "tun7", "10.8.0.53"), resolvectl.getFirst());

            ip.clear();
            ConnectionInfo moved = t.update(push("topology subnet", "ifconfig 10.8.0.9 255.255.255.0", "route-gateway 10.8.0.1",
                    "route 10.79.0.0 255.255.255.0", "route 10.80.0.0 255.255.0.0", "dhcp-option DNS 10.8.0.53"), after, notes);
            assertEquals(List.of("route del 10.80.0.0/16 via 10.8.0.1 dev tun7", "route del 10.79.0.0/24 via 10.8.0.1 dev tun7",
                    "route del 192.168.50.0/24 via 10.8.0.1 dev tun7", "addr del 10.8.0.2/24 dev tun7",
                    "addr add 10.8.0.9/24 dev tun7", "route add 192.168.50.0/24 via 10.8.0.1 dev tun7",
                    "route add 10.79.0.0/24 via 10.8.0.1 dev tun7", "route add 10.80.0.0/16 via 10.8.0.1 dev tun7"), ip,
                    "a moved address: routes off, address moved on the same device, routes back");
            assertEquals("10.8.0.9/24", moved.ipv4());
            assertEquals(after.routes(), moved.routes());
            assertTrue(notes.contains("tunnel address now 10.8.0.9/24 (was 10.8.0.2/24)"), notes::toString);
            ip.clear();
        }
        assertEquals(List.of("route del 10.80.0.0/16 via 10.8.0.1 dev tun7", "route del 10.79.0.0/24 via 10.8.0.1 dev tun7",
                "route del 192.168.50.0/24 via 10.8.0.1 dev tun7", "addr del 10.8.0.9/24 dev tun7"), ip, "close undoes the rest");
    }

    /** PUSH_UPDATE moving a net30 client with IPv6: the point-to-point pair and the IPv6 address both move. */
    @Test
    void anUpdateMovesAPointToPointAndAnIpv6Address() throws Exception {
        List<String> ip = new ArrayList<>();
        NetConfig kernel = new IpCommandNetConfig(argv -> {
            ip.add(String.join(" ", argv.subList(1, argv.size())));
            return CommandRunner.Result.ok("");
        }, null);
        ProfileNetwork local = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of());
        try (TunnelSetup t = new TunnelSetup((name, tap, mtu) -> new InMemoryTun("tun7", false, mtu), kernel,
                new DnsConfig(argv -> CommandRunner.Result.ok(""), true), "tun", false, 1500, local)) {
            ConnectionInfo info = t.apply(push("topology net30", "ifconfig 10.8.0.6 10.8.0.5", "ifconfig-ipv6 fd00::1000/64 fd00::1",
                    "route 10.78.0.0 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            ip.clear();
            List<String> notes = new ArrayList<>();
            ConnectionInfo moved = t.update(push("topology net30", "ifconfig 10.8.0.10 10.8.0.9", "ifconfig-ipv6 fd00::2000/64 fd00::1",
                    "route 10.78.0.0 255.255.255.0"), info, notes);
            assertEquals(List.of("route del 10.78.0.0/24 via 10.8.0.5 dev tun7", "addr del 10.8.0.6 peer 10.8.0.5 dev tun7",
                    "-6 addr del fd00::1000/64 dev tun7", "addr add 10.8.0.10 peer 10.8.0.9 dev tun7",
                    "-6 addr add fd00::2000/64 dev tun7", "route add 10.78.0.0/24 via 10.8.0.9 dev tun7"), ip);
            assertEquals("10.8.0.10/32", moved.ipv4());
            assertEquals("fd00::2000/64", moved.ipv6());
            assertEquals(List.of("10.78.0.0/24"), moved.routes());
        }
    }

    @Test
    void routeNoexecInstallsNoRouteAndRouteDelayLeavesThemForLater() throws Exception {
        ProfileNetwork noexec = new ProfileNetwork(0, List.of(List.of("192.168.50.0", "255.255.255.0")), List.of(),
                DnsOptions.EMPTY, List.of(), List.of(), null, new RouteExecution(true, -1));
        try (TunnelSetup t = setup(noexec)) {
            ConnectionInfo info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0",
                    "route 10.78.0.0 255.255.255.0", "redirect-gateway def1"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            assertEquals(List.of(), info.routes());
        }
        assertEquals(List.of("addr 10.8.0.2/24 tun7", "undo"), net);

        net.clear();
        ProfileNetwork delayed = new ProfileNetwork(0, List.of(), List.of(), DnsOptions.EMPTY, List.of(), List.of(), null,
                new RouteExecution(false, 5));
        try (TunnelSetup t = setup(delayed)) {
            ConnectionInfo info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0",
                    "route 10.78.0.0 255.255.255.0"), "192.0.2.10", "r", "AES-256-GCM", "TLS");
            assertEquals(5, t.routeDelaySeconds());
            assertEquals(List.of("addr 10.8.0.2/24 tun7"), net, "no route before the delay");
            assertEquals(List.of("10.78.0.0/24"), t.addRoutes(info).routes());
            assertEquals(List.of("addr 10.8.0.2/24 tun7", "route 10.78.0.0/24 via null dev tun7 metric -1"), net);
        }
    }

    @Test
    void withoutRouteMetricRoutesHaveNoMetric() throws Exception {
        try (TunnelSetup t = setup(ProfileNetwork.NONE)) {
            t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "route 10.78.0.0 255.255.255.0"),
                    "192.0.2.10", "r", "AES-256-GCM", "TLS");
        }
        assertEquals("route 10.78.0.0/24 via null dev tun7 metric -1", net.get(1));
    }

    @Test
    void pushedDnsReachesResolvedAndIsReported() throws Exception {
        var info = (io.culvert.engine.api.ConnectionInfo) null;
        try (TunnelSetup t = setup(ProfileNetwork.NONE)) {
            info = t.apply(push("topology subnet", "ifconfig 10.8.0.2 255.255.255.0", "dhcp-option DNS 10.8.0.99",
                    "dns server 0 address 10.8.0.1 [fd00::1]:5353", "dns search-domains vpn.example", "dns server 0 sni s.example"),
                    "192.0.2.10", "r", "AES-256-GCM", "TLS");
            assertEquals("DNS [10.8.0.1, [fd00::1]:5353] for [vpn.example] on tun7 via systemd-resolved; "
                    + "accepted but not applied (plain DNS only): dns server 0 sni s.example", t.dnsResult());
        }
        assertEquals(List.of("10.8.0.1", "[fd00::1]:5353"), info.dns());
        assertEquals(List.of(
                List.of("resolvectl", "dns", "tun7", "10.8.0.1", "[fd00::1]:5353"),
                List.of("resolvectl", "domain", "tun7", "vpn.example", "~."),
                List.of("resolvectl", "default-route", "tun7", "true"),
                List.of("resolvectl", "revert", "tun7")), resolvectl);
    }
}
