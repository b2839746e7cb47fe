package io.culvert.engine.server;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.api.PathCheck;
import io.culvert.engine.api.PathCheck.Hop;
import io.culvert.engine.api.PathCheck.Step;
import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.Gateway;
import io.culvert.engine.config.NatRoute;
import io.culvert.engine.net.IpPrefix;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Why can't A reach B?" as a pure function (ADR 0044): the server's state about one pair, gathered on the server
 * thread into {@link Facts}, becomes an ordered list of checks ({@link PathCheck}), each ok, fault or unknown with a
 * sentence. No I/O, no clock: the runner gathers the facts twice around a counting window and runs the probe.
 */
final class PathDiagnosis {
    private PathDiagnosis() {}

    /**
     * A connected (admitted) instance as the server sees it. Instances are immutable.
     *
     * @param pushes what the server pushed it (its PUSH_REPLY's options, in order)
     */
    record Peer(String commonName, int peerId, List<InetAddress> addresses, List<String> iroutes, List<String> pushes) {
        Peer {
            addresses = List.copyOf(addresses);
            iroutes = List.copyOf(iroutes);
            pushes = List.copyOf(pushes);
        }

        String name() {
            return commonName == null ? "client " + peerId : commonName;
        }
    }

    /**
     * Counters of the path at one moment, all counted since A connected. Instances are immutable.
     *
     * @param fromA packets the server got from A (decrypted)
     * @param aToB A's packets the server forwarded to B (client-to-client)
     * @param aToBDenied A's packets to B the pair policy dropped
     * @param aToServer A's packets the server handed to its own device (the host, or beyond it)
     * @param aDrops A's packets the server's router dropped, per cause
     */
    record Counters(long fromA, long aToB, long aToBDenied, long aToServer, Map<String, Long> aDrops) {
        static final Counters NONE = new Counters(0, 0, 0, 0, Map.of());

        Counters {
            aDrops = Map.copyOf(aDrops);
        }
    }

    /**
     * What the active probe found. Instances are immutable.
     *
     * @param refused why no probe was sent (TAP, IPv6, no tunnel address), or null when it was
     * @param sent echo requests sent to check that B answers
     * @param answered whether B answered one of them
     * @param rttMillis the first answer's round trip
     * @param pathMtu the largest packet that crossed to B and back, or null when not measured
     * @param tunMtu the tunnel's MTU the search started from
     */
    record Probe(String refused, int sent, boolean answered, long rttMillis, Integer pathMtu, int tunMtu) {
        static Probe refused(String why) {
            return new Probe(why, 0, false, 0, null, 0);
        }
    }

    /**
     * Everything the checks read. Instances are immutable.
     *
     * @param a A's instance, null when no instance has A's common name
     * @param target B's address: the one asked for, or B's first tunnel address; null when B is a common name with no
     *     instance
     * @param targetByName whether B was named by common name
     * @param b the instance that owns {@code target} (B itself, or the client with an iroute covering the address), or
     *     null
     * @param bIroute the iroute of {@code b} that covers {@code target}, or null when it is one of b's own addresses
     * @param serverAddress the server's IPv4 tunnel address, or null
     * @param forwarding the host's {@code net.ipv4.ip_forward} ("0", "1", or "-" when unknown)
     * @param activeNatRules the gateway and NAT-route rules nftables holds for this server now
     * @param windowMillis how long the counters were watched; 0: not watched
     * @param probe what the probe found, or null when none was asked for
     */
    record Facts(String from, String to, Peer a, InetAddress target, boolean targetByName, Peer b, String bIroute,
            InetAddress serverAddress, boolean tap, boolean clientToClient, PairPolicy policy, String forwarding,
            Gateway gateway, List<NatRoute> natRoutes, List<String> activeNatRules, Counters before, Counters after,
            long windowMillis, Probe probe) {
        Facts {
            policy = policy == null ? PairPolicy.OPEN : policy;
            natRoutes = natRoutes == null ? List.of() : List.copyOf(natRoutes);
            activeNatRules = activeNatRules == null ? List.of() : List.copyOf(activeNatRules);
            before = before == null ? Counters.NONE : before;
            after = after == null ? Counters.NONE : after;
        }
    }

    /** The checks, in the order a packet from A meets them. */
    static PathCheck diagnose(Facts f) {
        List<Step> steps = new ArrayList<>();
        String aName = f.from();
        String bName = f.b() != null && f.targetByName() ? f.b().name() : f.to();
        // 1. A connected
        if (f.a() == null) {
            steps.add(new Step("A connected", Hop.SOURCE, PathCheck.FAULT, "no client with the common name '" + aName
                    + "' is connected to this server"));
            return new PathCheck(f.from(), f.to(), steps, null);
        }
        Peer a = f.a();
        steps.add(new Step("A connected", Hop.SOURCE, PathCheck.OK, aName + " is connected as client " + a.peerId()
                + " with tunnel address " + join(a.addresses())));
        // 2. B connected (a common name), or who owns the address
        boolean outside = false;
        if (f.targetByName()) {
            if (f.b() == null) {
                steps.add(new Step("B connected", Hop.TARGET, PathCheck.FAULT, "no client with the common name '"
                        + f.to() + "' is connected to this server, so nothing can reach it through the tunnel"));
                return new PathCheck(f.from(), f.to(), steps, null);
            }
            steps.add(new Step("B connected", Hop.TARGET, PathCheck.OK, bName + " is connected as client "
                    + f.b().peerId() + " with tunnel address " + join(f.b().addresses())));
        } else if (f.b() != null) {
            steps.add(new Step("B's owner", Hop.TARGET, PathCheck.OK, text(f.target()) + (f.bIroute() == null
                    ? " is the tunnel address of " + f.b().name() : " is behind " + f.b().name() + " (its iroute "
                    + f.bIroute() + ")")));
        } else if (onLink(a, f.target())) {
            steps.add(new Step("B's owner", Hop.TARGET, PathCheck.FAULT, text(f.target())
                    + " is in the VPN's own network, but no connected client has it as its address or iroute"));
            return new PathCheck(f.from(), f.to(), steps, null);
        } else {
            outside = true;
            steps.add(new Step("B's owner", Hop.OUTSIDE, PathCheck.OK, text(f.target())
                    + " belongs to no client: it is outside the VPN, reached through the server's host"));
        }
        if (f.b() != null && f.b().peerId() == a.peerId()) {
            steps.add(new Step("B's owner", Hop.TARGET, PathCheck.FAULT, text(f.target()) + " is " + aName
                    + "'s own; the server does not send a client's packets back to it"));
            return new PathCheck(f.from(), f.to(), steps, null);
        }
        // 3. A's routes: does A send B's address into the tunnel at all?
        steps.add(routeOnA(a, aName, f.target()));
        // 4. The server's route or iroute for B's address
        if (!outside) {
            steps.add(new Step("server route", Hop.SERVER, PathCheck.OK, "the server routes " + text(f.target()) + " to "
                    + f.b().name() + (f.bIroute() == null ? " (its tunnel address)" : " (iroute " + f.bIroute() + ")")));
            steps.add(clientToClient(f, aName));
            steps.add(pairPolicy(f, a, aName));
        } else {
            steps.add(natStep(f, a, aName));
        }
        // 5. What the counters say
        if (f.windowMillis() > 0) {
            steps.add(counters(f, aName, bName, outside));
        }
        // 6. The probe
        Integer mtu = null;
        if (f.probe() != null) {
            if (outside) {
                steps.add(new Step("probe", Hop.OUTSIDE, PathCheck.UNKNOWN, "the probe goes to clients only; "
                        + text(f.target()) + " is outside the VPN"));
            } else {
                Probe p = f.probe();
                mtu = p.pathMtu();
                steps.addAll(probeSteps(f, p, f.b().name()));
            }
        }
        return new PathCheck(f.from(), f.to(), steps, mtu);
    }

    private static Step routeOnA(Peer a, String aName, InetAddress target) {
        if (target == null) {
            return new Step("route on A", Hop.SOURCE, PathCheck.UNKNOWN, "B's address is not known");
        }
        String how = cover(a.pushes(), target);
        if (how != null) {
            return new Step("route on A", Hop.SOURCE, PathCheck.OK, aName + " sends " + text(target)
                    + " into the tunnel: " + how);
        }
        List<String> routes = a.pushes().stream().filter(p -> p.startsWith("route ") || p.startsWith("route-ipv6 ")
                || p.startsWith("redirect-gateway")).toList();
        return new Step("route on A", Hop.SOURCE, PathCheck.FAULT, "the server pushed " + aName + " no route that covers "
                + text(target) + " (" + (routes.isEmpty() ? "it pushed no routes" : "its routes: " + String.join(", ", routes))
                + "), so " + aName + " sends those packets elsewhere, not into the tunnel; push a route for it (push \"route"
                + " ...\" or the client's ccd) unless " + aName + "'s own config adds one");
    }

    private static Step clientToClient(Facts f, String aName) {
        if (f.clientToClient()) {
            return new Step("client-to-client", Hop.SERVER, PathCheck.OK, "client-to-client is on: the server forwards "
                    + "between clients in its own router");
        }
        if ("1".equals(f.forwarding())) {
            return new Step("client-to-client", Hop.SERVER, PathCheck.UNKNOWN, "client-to-client is off: " + aName
                    + "'s packets go to the server's host, which forwards (ip_forward=1) and may route them back into the"
                    + " tunnel; its firewall decides");
        }
        return new Step("client-to-client", Hop.SERVER, PathCheck.FAULT, "client-to-client is off: the server hands "
                + aName + "'s packets for other clients to its host, which does not forward them (ip_forward="
                + f.forwarding() + "); add client-to-client to the server config");
    }

    private static Step pairPolicy(Facts f, Peer a, String aName) {
        PairPolicy p = f.policy();
        if (!f.clientToClient()) {
            return new Step("pair policy", Hop.SERVER, PathCheck.UNKNOWN, "not consulted: client-to-client is off");
        }
        if (p.isOpen()) {
            return new Step("pair policy", Hop.SERVER, PathCheck.OK, "no pair policy: every pair of clients may talk");
        }
        String bcn = f.b().commonName();
        if (p.allows(a.commonName(), bcn)) {
            return new Step("pair policy", Hop.SERVER, PathCheck.OK, "the pair policy (" + p.describe() + ") allows "
                    + aName + " -> " + f.b().name());
        }
        String rule = p.rules().stream().filter(r -> a.commonName() != null && bcn != null && r.covers(a.commonName(), bcn))
                .findFirst().map(r -> "the rule on line " + r.line()).orElse("no rule allows it");
        return new Step("pair policy", Hop.SERVER, PathCheck.FAULT, "the pair policy denies " + aName + " -> "
                + f.b().name() + " (" + (p.mode() == PairPolicy.Mode.DENY_LISTED ? "culvert-c2c-deny, " + rule
                : "culvert-c2c-allow-only, " + rule) + "): the server drops their packets and counts them as DENIED");
    }

    private static Step natStep(Facts f, Peer a, String aName) {
        InetAddress t = f.target();
        for (NatRoute n : f.natRoutes()) {
            if (t instanceof Inet4Address && IpPrefix.parse(n.cidr()).equals(new IpPrefix(t, n.bits()))) {
                return live(f, new Step("gateway/NAT", Hop.OUTSIDE, PathCheck.OK, "culvert-nat-route on line " + n.line()
                        + " forwards " + n.cidr() + (n.nat() ? " and masquerades it" : " (routed: the network must route "
                        + "the clients back to the server)")));
            }
        }
        Gateway g = f.gateway();
        if (g != null && (t instanceof Inet4Address ? g.ipv4() : g.ipv6())) {
            return live(f, new Step("gateway/NAT", Hop.OUTSIDE, PathCheck.OK, "gateway mode (culvert-gateway, line "
                    + g.line() + ") forwards the clients' traffic and masquerades it"
                    + (g.outbound() == null ? "" : " out of " + g.outbound())));
        }
        return new Step("gateway/NAT", Hop.OUTSIDE, PathCheck.FAULT, "no gateway or NAT rule applies to " + text(t)
                + ": the server's host gets " + aName + "'s packets but does not forward and masquerade them, so "
                + text(t) + " cannot answer " + aName + "'s tunnel address; turn on culvert-gateway or add "
                + "culvert-nat-route for its network");
    }

    /** A configured rule that nftables does not hold (deleted by hand, or another tool flushed it) is a fault. */
    private static Step live(Facts f, Step configured) {
        if (f.activeNatRules().isEmpty()) {
            return new Step(configured.name(), configured.hop(), PathCheck.FAULT, configured.words()
                    + ", but Culvert's nftables table holds no rule for this server now");
        }
        return configured;
    }

    private static Step counters(Facts f, String aName, String bName, boolean outside) {
        Counters d = delta(f.before(), f.after());
        String window = "in the last " + seconds(f.windowMillis());
        long dropped = d.aDrops().values().stream().mapToLong(Long::longValue).sum();
        if (!outside && d.aToBDenied() > 0) {
            return new Step("counters", Hop.SERVER, PathCheck.FAULT, d.aToBDenied() + " packets from " + aName + " to "
                    + bName + " were dropped by the pair policy " + window);
        }
        if (dropped > 0) {
            return new Step("counters", Hop.SERVER, PathCheck.FAULT, "the server dropped " + dropped + " packets from "
                    + aName + " " + window + ": " + causes(d.aDrops()));
        }
        if (!outside && d.aToB() > 0) {
            return new Step("counters", Hop.SERVER, PathCheck.OK, d.aToB() + " packets from " + aName + " were forwarded"
                    + " to " + bName + " " + window);
        }
        if (d.fromA() == 0) {
            return new Step("counters", Hop.SERVER, PathCheck.UNKNOWN, "the server got no packets from " + aName + " "
                    + window + "; send some (a ping from " + aName + " to " + text(f.target()) + ") and ask again");
        }
        if (outside) {
            return new Step("counters", Hop.SERVER, PathCheck.OK, d.aToServer() + " of " + d.fromA() + " packets from "
                    + aName + " went to the server's host " + window + " (any destination)");
        }
        return new Step("counters", Hop.SERVER, PathCheck.UNKNOWN, "the server got " + d.fromA() + " packets from "
                + aName + " " + window + ", none forwarded to " + bName + (d.aToServer() > 0 ? " (" + d.aToServer()
                + " went to the server's host)" : ""));
    }

    private static List<Step> probeSteps(Facts f, Probe p, String bName) {
        if (p.refused() != null) {
            return List.of(new Step("probe", Hop.TARGET, PathCheck.UNKNOWN, "no probe sent: " + p.refused()));
        }
        String src = f.serverAddress() == null ? "the server" : "the server's tunnel address " + text(f.serverAddress());
        if (!p.answered()) {
            return List.of(new Step("probe", Hop.TARGET, PathCheck.FAULT, bName + " did not answer " + p.sent()
                    + " echo requests from " + src + ": its tunnel, its host's firewall or its link drops them"));
        }
        List<Step> out = new ArrayList<>();
        out.add(new Step("probe", Hop.TARGET, PathCheck.OK, bName + " answered an echo request from " + src + " in "
                + p.rttMillis() + " ms"));
        if (p.pathMtu() == null) {
            return out;
        }
        if (p.pathMtu() >= p.tunMtu()) {
            out.add(new Step("path MTU", Hop.TARGET, PathCheck.OK, "packets of " + p.pathMtu() + " bytes (the tunnel's "
                    + "MTU) cross the tunnel to " + bName + " and back; path MTU " + p.pathMtu() + " bytes"));
        } else {
            out.add(new Step("path MTU", Hop.TARGET, PathCheck.FAULT, "MTU black hole: packets of up to " + p.pathMtu()
                    + " bytes cross the tunnel to " + bName + " and back, larger ones (up to the tunnel's MTU, "
                    + p.tunMtu() + ") are lost without an error; path MTU " + p.pathMtu() + " bytes: lower tun-mtu or"
                    + " mssfix, or fix the MTU of the link between the server and " + bName));
        }
        return out;
    }

    /** How A's pushed options send {@code target} into the tunnel, or null when none does. */
    static String cover(List<String> pushes, InetAddress target) {
        boolean v4 = target instanceof Inet4Address;
        boolean subnet = pushes.contains("topology subnet");
        for (String p : pushes) {
            String[] w = p.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "redirect-gateway" -> {
                        boolean ipv6 = List.of(w).contains("ipv6");
                        boolean noV4 = List.of(w).contains("!ipv4");
                        if (v4 ? !noV4 : ipv6) {
                            return "the pushed " + p;
                        }
                    }
                    case "route" -> {
                        if (v4 && w.length >= 2 && covers(w[1] + "/" + (w.length >= 3 && !w[2].equals("default")
                                ? bits(w[2]) : 32), target)) {
                            return "the pushed " + p;
                        }
                    }
                    case "route-ipv6" -> {
                        if (!v4 && w.length >= 2 && covers(w[1], target)) {
                            return "the pushed " + p;
                        }
                    }
                    case "ifconfig" -> {
                        if (v4 && w.length >= 3 && (subnet ? covers(w[1] + "/" + bits(w[2]), target)
                                : w[2].equals(text(target)))) {
                            return "its own network (" + p + ")";
                        }
                    }
                    case "ifconfig-ipv6" -> {
                        if (!v4 && w.length >= 2 && covers(w[1], target)) {
                            return "its own network (" + p + ")";
                        }
                    }
                    default -> { }
                }
            } catch (IllegalArgumentException e) {
                // a pushed option this check cannot read covers nothing
            }
        }
        return null;
    }

    /** Whether {@code target} is in A's own tunnel network (topology subnet or its IPv6 prefix). */
    private static boolean onLink(Peer a, InetAddress target) {
        String how = cover(a.pushes().stream().filter(p -> p.startsWith("ifconfig") || p.equals("topology subnet"))
                .toList(), target);
        return how != null;
    }

    private static boolean covers(String prefix, InetAddress target) {
        IpPrefix p = IpPrefix.parse(prefix);
        return p.isIpv4() == (target instanceof Inet4Address) && new IpPrefix(target, p.length()).equals(p);
    }

    private static int bits(String mask) {
        IpPrefix m = IpPrefix.parse(mask);
        if (!m.isIpv4()) {
            throw new IllegalArgumentException(mask);
        }
        byte[] b = m.network().getAddress();
        int n = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return Integer.bitCount(n);
    }

    private static Counters delta(Counters before, Counters after) {
        Map<String, Long> drops = new TreeMap<>();
        after.aDrops().forEach((k, v) -> {
            long n = v - before.aDrops().getOrDefault(k, 0L);
            if (n > 0) {
                drops.put(k, n);
            }
        });
        return new Counters(after.fromA() - before.fromA(), after.aToB() - before.aToB(),
                after.aToBDenied() - before.aToBDenied(), after.aToServer() - before.aToServer(), drops);
    }

    private static String causes(Map<String, Long> drops) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(drops).forEach((k, v) -> out.add(v + " " + switch (k) {
            case "BAD_SOURCE" -> "with a source address that is not the client's own (BAD_SOURCE)";
            case "MALFORMED" -> "that were not IP packets (MALFORMED)";
            case "TO_SELF" -> "addressed to the sender itself (TO_SELF)";
            case "QUOTA_EXCEEDED" -> "from MAC addresses over its quota (QUOTA_EXCEEDED)";
            default -> "(" + k + ")";
        }));
        return String.join(", ", out);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String join(List<InetAddress> addresses) {
        return addresses.isEmpty() ? "(none)" : String.join(", ", addresses.stream().map(PathDiagnosis::text).toList());
    }

    private static String text(InetAddress a) {
        return a == null ? "?" : io.culvert.engine.net.Addresses.text(a);
    }
}
