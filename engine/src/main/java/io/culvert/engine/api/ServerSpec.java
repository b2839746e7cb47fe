package io.culvert.engine.api;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the server manager's wizard asks for when it creates a server. Immutable; the constructor refuses values
 * that cannot make a working server config.
 *
 * @param name the server's name, also its folder name (letters, digits, '.', '_', '-')
 * @param network the IPv4 network of the tunnel, e.g. "10.8.0.0"
 * @param netmask its dotted netmask, /16 to /29
 * @param port the port it listens on
 * @param bindAddress the local address it listens on ({@code local}), or null for every address
 * @param publicHost the host name or address clients dial (the {@code remote} of exported profiles)
 * @param topology how tun clients are addressed; TAP servers always share one subnet
 * @param dataCiphers the data ciphers offered, strongest first
 * @param keepalivePing seconds between pings ({@code keepalive}'s first value, pushed to clients as {@code ping})
 * @param keepaliveTimeout seconds of silence before a client restarts ({@code keepalive}'s second value, pushed as
 *                         {@code ping-restart}; the server itself waits twice as long); at least twice the ping
 * @param dnsServers DNS server addresses pushed to clients as {@code dhcp-option DNS} (IPv4) or {@code DNS6} (IPv6)
 * @param gateway "send clients' Internet traffic through this server" ({@code culvert-gateway}), or null when off
 * @param reach "let clients reach these networks" ({@code culvert-nat-route} lines), in file order
 * @param pairs the client-to-client pair policy ({@code culvert-c2c-*} lines, ADR 0037); {@link Pairs#NONE} for none
 * @param ipv6Network the clients' IPv6 network ({@code server-ipv6}) as "address/bits", /64 to /124, or null for none
 * @param webSocket the WebSocket endpoint a reverse proxy such as nginx forwards to ({@code culvert-websocket}), or
 *     null for none
 */
public record ServerSpec(String name, String network, String netmask, int port, Proto proto, Device device,
        Topology topology, boolean clientToClient, List<String> dataCiphers, String bindAddress, String publicHost,
        int keepalivePing, int keepaliveTimeout, List<String> dnsServers, Gateway gateway, List<Reach> reach,
        Pairs pairs, String ipv6Network, WebSocket webSocket) {

    /** Data ciphers Culvert and OpenVPN 2.6 both speak. */
    public static final List<String> KNOWN_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305",
            "AES-192-GCM", "AES-256-CBC", "AES-192-CBC", "AES-128-CBC");
    /** OpenVPN 2.6's default {@code data-ciphers}. */
    public static final List<String> DEFAULT_CIPHERS = List.of("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305");
    /** OpenVPN's registered port. */
    public static final int DEFAULT_PORT = 1194;
    /** The {@code keepalive} OpenVPN's man page recommends (and the wizard writes): ping every 10 s, restart after 60 s. */
    public static final int DEFAULT_KEEPALIVE_PING = 10;
    public static final int DEFAULT_KEEPALIVE_TIMEOUT = 60;
    /** OpenVPN's largest server-mode {@code keepalive} timeout ({@code PING_TIMEOUT_MAX / 2}). */
    public static final int MAX_KEEPALIVE_TIMEOUT = 43_200;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** The transport clients connect over. */
    public enum Proto {
        /** Datagrams (OpenVPN's default). */
        UDP,
        /** One TCP stream per client. */
        TCP
    }

    /** The kind of virtual device. */
    public enum Device {
        /** Layer 3: IP packets. */
        TUN,
        /** Layer 2: Ethernet frames, with the server as a learning switch. */
        TAP
    }

    /** How tun clients get their addresses. */
    public enum Topology {
        /** A /30 per client (legacy, every OS). */
        NET30,
        /** One address per client in a shared subnet (recommended). */
        SUBNET
    }

    /** A Linux interface name, as {@code culvert-gateway} takes it. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@+-]{1,15}");

    /** Which clients' traffic gateway mode forwards. */
    public enum Family {
        /** IPv4 only (the manager's servers have an IPv4 network). */
        IPV4,
        /** IPv6 only; needs {@code server-ipv6}. */
        IPV6,
        /** Both; needs {@code server-ipv6}. */
        BOTH
    }

    /**
     * Gateway mode: the clients' traffic is forwarded and masqueraded out of an interface, and {@code redirect-gateway
     * def1} and DNS are pushed. Immutable.
     *
     * @param outbound the outbound interface, or null for {@code auto} (the default route's at start)
     * @param family which traffic is forwarded
     * @param resolvers DNS servers pushed to clients; empty: the server's own (its resolv.conf)
     */
    public record Gateway(String outbound, Family family, List<String> resolvers) {
        public Gateway {
            Objects.requireNonNull(family, "family");
            outbound = outbound == null || outbound.isBlank() || outbound.strip().equals("auto") ? null : outbound.strip();
            if (outbound != null && (!INTERFACE.matcher(outbound).matches() || outbound.matches("\\.{1,2}"))) {
                throw new IllegalArgumentException("'" + outbound + "' is not an interface name");
            }
            resolvers = resolvers == null ? List.of() : resolvers.stream().map(String::strip).distinct().toList();
            for (String r : resolvers) {
                if (!isIpAddress(r)) {
                    throw new IllegalArgumentException("resolver '" + r + "' is not an IPv4 or IPv6 address");
                }
            }
        }

        /** IPv4 traffic out of the default route's interface, the server's own resolvers. */
        public static final Gateway AUTO = new Gateway(null, Family.IPV4, List.of());

        /** The directive's arguments: {@code OUT-IF|auto ipv4|ipv6|both [RESOLVER ...]}. */
        public List<String> args() {
            List<String> a = new java.util.ArrayList<>();
            a.add(outbound == null ? "auto" : outbound);
            a.add(family.name().toLowerCase(Locale.ROOT));
            a.addAll(resolvers);
            return List.copyOf(a);
        }
    }

    /**
     * A network behind the server that clients reach through it: a pushed route, forwarding and, with {@code nat},
     * masquerading. Immutable.
     *
     * @param network "a.b.c.d/bits"
     * @param outbound the interface towards it, or null for {@code auto} (the route's at start)
     * @param nat true to masquerade the clients' traffic, false to route it (the LAN routes the pool back)
     */
    public record Reach(String network, String outbound, boolean nat) {
        public Reach {
            network = network == null ? "" : network.strip();
            if (!ClientNetwork.isCidr(network) || network.endsWith("/0")) {
                throw new IllegalArgumentException("'" + network + "' is not a network like 192.168.10.0/24");
            }
            outbound = outbound == null || outbound.isBlank() || outbound.strip().equals("auto") ? null : outbound.strip();
            if (outbound != null && (!INTERFACE.matcher(outbound).matches() || outbound.matches("\\.{1,2}"))) {
                throw new IllegalArgumentException("'" + outbound + "' is not an interface name");
            }
        }

        /** The directive's arguments: {@code NETWORK/PREFIX OUT-IF|auto nat|routed}. */
        public List<String> args() {
            return List.of(network, outbound == null ? "auto" : outbound, nat ? "nat" : "routed");
        }
    }

    /** A client's common name or a group's name in a pair rule: no white space or quotes, 1 to 64 characters. */
    private static final Pattern PAIR_NAME = Pattern.compile("[^\\s\"'@][^\\s\"']{0,63}");

    /**
     * Which pairs of clients may reach each other through the server's own router with client-to-client on (ADR 0037):
     * with {@code allowOnly} false the rules' pairs are denied ({@code culvert-c2c-deny}) and every other pair allowed;
     * with it true only the rules' pairs may talk ({@code culvert-c2c-allow-only}, {@code culvert-c2c-allow}). A rule's
     * side is a client's common name or {@code @GROUP}. Immutable; the constructor refuses a rule with itself, an
     * unknown group and malformed names.
     *
     * @param allowOnly true: only the listed pairs may talk; false: the listed pairs are denied
     * @param groups named sets of common names ({@code culvert-c2c-group}), in file order
     * @param rules the pairs, in file order
     */
    public record Pairs(boolean allowOnly, List<Group> groups, List<Pair> rules) {
        /** No policy: every pair may talk (plain {@code client-to-client}). */
        public static final Pairs NONE = new Pairs(false, List.of(), List.of());

        public Pairs {
            groups = groups == null ? List.of() : List.copyOf(groups);
            rules = rules == null ? List.of() : List.copyOf(rules);
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Group g : groups) {
                if (!names.add(g.name())) {
                    throw new IllegalArgumentException("group '" + g.name() + "' is defined twice");
                }
            }
            for (Pair r : rules) {
                for (String side : List.of(r.a(), r.b())) {
                    if (side.startsWith("@") && !names.contains(side.substring(1))) {
                        throw new IllegalArgumentException("unknown group '" + side + "' in the rule " + r);
                    }
                }
            }
        }

        /** True when the policy says nothing: no rules, no groups, deny mode. */
        public boolean isEmpty() {
            return !allowOnly && groups.isEmpty() && rules.isEmpty();
        }

        /** True when the policy needs {@code client-to-client}: it has rules or allows only listed pairs. */
        public boolean restricts() {
            return allowOnly || !rules.isEmpty();
        }
    }

    /** A named set of common names, written {@code @name} in a rule. Immutable. */
    public record Group(String name, List<String> members) {
        public Group {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("'" + name + "' is not a group name (1 to 64 letters, digits or . _ -)");
            }
            members = members == null ? List.of() : members.stream().map(String::strip).distinct().toList();
            for (String m : members) {
                if (!PAIR_NAME.matcher(m).matches()) {
                    throw new IllegalArgumentException("'" + m + "' in group '" + name + "' is not a client's name");
                }
            }
        }
    }

    /** Two clients or groups, both ways. Immutable. */
    public record Pair(String a, String b) {
        public Pair {
            a = a == null ? "" : a.strip();
            b = b == null ? "" : b.strip();
            for (String side : List.of(a, b)) {
                boolean group = side.startsWith("@") && side.length() > 1;
                if (!(group ? side.substring(1).matches("[A-Za-z0-9_.-]{1,64}") : PAIR_NAME.matcher(side).matches())) {
                    throw new IllegalArgumentException("'" + side + "' is neither a client's name nor @GROUP");
                }
            }
            if (a.equals(b)) {
                throw new IllegalArgumentException("'" + a + "' with itself: a rule is about two different clients or"
                        + " groups");
            }
        }

        @Override
        public String toString() {
            return a + " \u2194 " + b;
        }
    }

    public ServerSpec {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(topology, "topology");
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid server name '" + name + "'");
        }
        if (!isIpv4(network) || !isIpv4(netmask)) {
            throw new IllegalArgumentException("network and netmask must be dotted IPv4 addresses");
        }
        int bits = prefixLength(netmask);
        int longest = device == Device.TAP ? 30 : 29;
        if (bits < 16 || bits > longest) {
            throw new IllegalArgumentException("netmask must be /16 to /" + longest + ", got " + netmask);
        }
        if ((toInt(network) & ~toInt(netmask)) != 0) {
            throw new IllegalArgumentException(network + " is not a network address for " + netmask);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        dataCiphers = dataCiphers.stream().map(c -> c.toUpperCase(Locale.ROOT)).distinct().toList();
        if (dataCiphers.isEmpty() || !KNOWN_CIPHERS.containsAll(dataCiphers)) {
            throw new IllegalArgumentException("data ciphers must be a non-empty subset of " + KNOWN_CIPHERS);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? null : bindAddress.strip();
        if (bindAddress != null && !HOST.matcher(bindAddress).matches()) {
            throw new IllegalArgumentException("invalid bind address '" + bindAddress + "'");
        }
        if (publicHost == null || !HOST.matcher(publicHost).matches()) {
            throw new IllegalArgumentException("invalid public host '" + publicHost + "'");
        }
        String keepaliveProblem = keepaliveProblem(keepalivePing, keepaliveTimeout);
        if (keepaliveProblem != null) {
            throw new IllegalArgumentException(keepaliveProblem);
        }
        dnsServers = dnsServers == null ? List.of() : dnsServers.stream().map(String::strip).distinct().toList();
        for (String dns : dnsServers) {
            if (!isIpAddress(dns)) {
                throw new IllegalArgumentException("DNS server '" + dns + "' is not an IPv4 or IPv6 address");
            }
        }
        ipv6Network = ipv6Network == null || ipv6Network.isBlank() ? null : ipv6Network.strip();
        if (ipv6Network != null && ipv6NetworkProblem(ipv6Network) != null) {
            throw new IllegalArgumentException(ipv6NetworkProblem(ipv6Network));
        }
        if (gateway != null && gateway.family() != Family.IPV4 && ipv6Network == null) {
            throw new IllegalArgumentException("gateway mode for IPv6 needs an IPv6 network for the clients (server-ipv6):"
                    + " set one, or choose IPv4");
        }
        reach = reach == null ? List.of() : List.copyOf(reach);
        pairs = pairs == null ? Pairs.NONE : pairs;
        if (pairs.restricts() && !clientToClient) {
            throw new IllegalArgumentException("the client-to-client policy needs client-to-client: without it the"
                    + " server's host routes traffic between clients");
        }
    }

    /**
     * What is wrong with {@code cidr} as the clients' IPv6 network ({@code server-ipv6}), or null when a server takes
     * it: an IPv6 network address with a prefix of /64 to /124, as OpenVPN requires.
     */
    public static String ipv6NetworkProblem(String cidr) {
        String[] parts = cidr == null ? new String[0] : cidr.strip().split("/", -1);
        if (parts.length != 2 || !parts[0].contains(":") || !parts[1].matches("\\d{1,3}")) {
            return "'" + cidr + "' is not an IPv6 network like fd00:8::/64";
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits < 64 || bits > 124) {
            return "the IPv6 network must be /64 to /124, got /" + bits;
        }
        byte[] a;
        try {
            if (!(java.net.InetAddress.ofLiteral(parts[0]) instanceof java.net.Inet6Address v6)) {
                return "'" + cidr + "' is not an IPv6 network like fd00:8::/64";
            }
            a = v6.getAddress();
        } catch (IllegalArgumentException e) {
            return "'" + cidr + "' is not an IPv6 network like fd00:8::/64";
        }
        for (int bit = bits; bit < 128; bit++) {
            if ((a[bit / 8] >> (7 - bit % 8) & 1) != 0) {
                return parts[0] + " has host bits set for /" + bits;
            }
        }
        return null;
    }

    /**
     * OpenVPN over WebSocket behind a reverse proxy ({@code culvert-websocket 127.0.0.1:PORT PATH}, with the proxy on the
     * same host trusted for the client's real address; ADR 0042). The server listens on loopback only. Immutable.
     *
     * @param port the loopback port the proxy forwards to
     * @param path the request path the proxy forwards, e.g. {@code /vpn}
     */
    public record WebSocket(int port, String path) {
        /** The loopback address the endpoint listens on and the proxy it trusts. */
        public static final String HOST = "127.0.0.1";
        /** The admin guide's example: {@code culvert-websocket 127.0.0.1:8081 /vpn}. */
        public static final WebSocket EXAMPLE = new WebSocket(8081, "/vpn");

        public WebSocket {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("WebSocket port " + port + " is not 1 to 65535");
            }
            if (path == null || !path.startsWith("/") || !path.matches("[!-~]+") || path.matches(".*[{};'\"\\\\].*")) {
                throw new IllegalArgumentException("'" + path + "' is not a request path like /vpn");
            }
        }
    }

    /**
     * What is wrong with a {@code keepalive PING TIMEOUT} pair, in OpenVPN's terms, or null when a server takes it: both
     * above zero, the timeout at least twice the ping and at most {@link #MAX_KEEPALIVE_TIMEOUT}.
     */
    public static String keepaliveProblem(int ping, int timeout) {
        if (ping <= 0 || timeout <= 0) {
            return "keepalive values must be above 0";
        }
        if (ping * 2L > timeout) {
            return "the keepalive timeout (" + timeout + " s) must be at least twice the ping interval (" + ping + " s)";
        }
        if (timeout > MAX_KEEPALIVE_TIMEOUT) {
            return "the keepalive timeout must not exceed " + MAX_KEEPALIVE_TIMEOUT + " s on a server";
        }
        return null;
    }

    /** True for a dotted IPv4 address or an IPv6 address (no host names: clients are told an address to ask). */
    public static boolean isIpAddress(String s) {
        if (s == null) {
            return false;
        }
        if (isIpv4(s)) {
            return true;
        }
        if (!s.contains(":") || !IPV6.matcher(s).matches()) {
            return false;
        }
        try {
            return java.net.InetAddress.ofLiteral(s) instanceof java.net.Inet6Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A subnet-topology UDP tun server on 10.8.0.0/24, port 1194, with the default ciphers. */
    public static ServerSpec defaults(String name, String publicHost) {
        return builder(name, publicHost).build();
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    public static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    /** The prefix length of a dotted netmask, or -1 when it is not a contiguous mask. */
    public static int prefixLength(String netmask) {
        if (!isIpv4(netmask)) {
            return -1;
        }
        int m = toInt(netmask);
        int bits = Integer.bitCount(m);
        return bits == 0 ? (m == 0 ? 0 : -1) : (m == -1 << (32 - bits) ? bits : -1);
    }

    /** The dotted netmask of a prefix length 0-32. */
    public static String netmaskOf(int bits) {
        int m = bits == 0 ? 0 : -1 << (32 - bits);
        return (m >>> 24) + "." + (m >>> 16 & 255) + "." + (m >>> 8 & 255) + "." + (m & 255);
    }

    private static int toInt(String ipv4) {
        int v = 0;
        for (String part : ipv4.split("\\.")) {
            v = v << 8 | Integer.parseInt(part);
        }
        return v;
    }

    /** The same spec with another port. */
    public ServerSpec withPort(int newPort) {
        return toBuilder().port(newPort).build();
    }

    /** The same spec with another keepalive and other pushed DNS servers. */
    public ServerSpec withClientSettings(int ping, int timeout, List<String> dns) {
        return toBuilder().keepalive(ping, timeout).dnsServers(dns).build();
    }

    /** The same spec with gateway mode {@code newGateway} (null: off) and the networks clients reach. */
    public ServerSpec withForwarding(Gateway newGateway, List<Reach> newReach) {
        return toBuilder().gateway(newGateway).reach(newReach).build();
    }

    /** The same spec with the clients' IPv6 network {@code cidr} (null: none) and gateway mode {@code newGateway}. */
    public ServerSpec withIpv6(String cidr, Gateway newGateway) {
        return toBuilder().ipv6Network(cidr).gateway(newGateway).build();
    }

    /** The same spec with another client-to-client pair policy. */
    public ServerSpec withPairs(Pairs newPairs) {
        return toBuilder().pairs(newPairs).build();
    }

    /** The same spec with another WebSocket endpoint (null: none). */
    public ServerSpec withWebSocket(WebSocket newWebSocket) {
        return toBuilder().webSocket(newWebSocket).build();
    }

    /**
     * A builder for a spec named {@code name} that clients reach at {@code publicHost}; everything else starts as
     * {@link #defaults} has it (a subnet-topology UDP tun server on 10.8.0.0/24, port 1194, keepalive 10 60).
     */
    public static Builder builder(String name, String publicHost) {
        return new Builder(name, publicHost);
    }

    /** A builder holding this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(name, publicHost);
        b.network = network;
        b.netmask = netmask;
        b.port = port;
        b.proto = proto;
        b.device = device;
        b.topology = topology;
        b.clientToClient = clientToClient;
        b.dataCiphers = dataCiphers;
        b.bindAddress = bindAddress;
        b.keepalivePing = keepalivePing;
        b.keepaliveTimeout = keepaliveTimeout;
        b.dnsServers = dnsServers;
        b.gateway = gateway;
        b.reach = reach;
        b.pairs = pairs;
        b.ipv6Network = ipv6Network;
        b.webSocket = webSocket;
        return b;
    }

    /** Builds a {@link ServerSpec} by name; {@link #build} checks it as the constructor does. */
    public static final class Builder {
        private String name;
        private String network = "10.8.0.0";
        private String netmask = "255.255.255.0";
        private int port = DEFAULT_PORT;
        private Proto proto = Proto.UDP;
        private Device device = Device.TUN;
        private Topology topology = Topology.SUBNET; // the wizard's choice; OpenVPN's own default is net30
        private boolean clientToClient;
        private List<String> dataCiphers = DEFAULT_CIPHERS;
        private String bindAddress; // every address
        private String publicHost;
        private int keepalivePing = DEFAULT_KEEPALIVE_PING;
        private int keepaliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
        private List<String> dnsServers = List.of();
        private Gateway gateway; // off
        private List<Reach> reach = List.of();
        private Pairs pairs = Pairs.NONE;
        private String ipv6Network; // no IPv6
        private WebSocket webSocket; // none

        private Builder(String name, String publicHost) {
            this.name = name;
            this.publicHost = publicHost;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder network(String network) {
            this.network = network;
            return this;
        }

        public Builder netmask(String netmask) {
            this.netmask = netmask;
            return this;
        }

        /** The clients' IPv4 network and its dotted netmask. */
        public Builder network(String network, String netmask) {
            return network(network).netmask(netmask);
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder proto(Proto proto) {
            this.proto = proto;
            return this;
        }

        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public Builder topology(Topology topology) {
            this.topology = topology;
            return this;
        }

        public Builder clientToClient(boolean clientToClient) {
            this.clientToClient = clientToClient;
            return this;
        }

        public Builder dataCiphers(List<String> dataCiphers) {
            this.dataCiphers = dataCiphers;
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder publicHost(String publicHost) {
            this.publicHost = publicHost;
            return this;
        }

        public Builder keepalivePing(int keepalivePing) {
            this.keepalivePing = keepalivePing;
            return this;
        }

        public Builder keepaliveTimeout(int keepaliveTimeout) {
            this.keepaliveTimeout = keepaliveTimeout;
            return this;
        }

        /** {@code keepalive ping timeout}. */
        public Builder keepalive(int ping, int timeout) {
            return keepalivePing(ping).keepaliveTimeout(timeout);
        }

        public Builder dnsServers(List<String> dnsServers) {
            this.dnsServers = dnsServers;
            return this;
        }

        public Builder gateway(Gateway gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder reach(List<Reach> reach) {
            this.reach = reach;
            return this;
        }

        public Builder pairs(Pairs pairs) {
            this.pairs = pairs;
            return this;
        }

        public Builder ipv6Network(String ipv6Network) {
            this.ipv6Network = ipv6Network;
            return this;
        }

        public Builder webSocket(WebSocket webSocket) {
            this.webSocket = webSocket;
            return this;
        }

        public ServerSpec build() {
            return new ServerSpec(name, network, netmask, port, proto, device, topology, clientToClient, dataCiphers,
                    bindAddress, publicHost, keepalivePing, keepaliveTimeout, dnsServers, gateway, reach, pairs,
                    ipv6Network, webSocket);
        }
    }
}
