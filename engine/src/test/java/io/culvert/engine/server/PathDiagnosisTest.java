package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.PathCheck;
import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.Gateway;
import io.culvert.engine.config.NatRoute;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The path check's checks as a pure function of the server's state: no sockets, no server. */
class PathDiagnosisTest {
    private static final List<String> SUBNET_PUSHES = List.of("route-gateway 10.77.0.1", "topology subnet", "ping 10",
            "ping-restart 60");
    private static final PathDiagnosis.Peer ALICE = peer("alice", 0, "10.77.0.2", List.of());
    private static final PathDiagnosis.Peer BOB = peer("bob", 1, "10.77.0.3", List.of());
    private static final PathDiagnosis.Peer CAROL = peer("carol", 2, "10.77.0.4", List.of("10.55.0.0/24"));
    private static final PairPolicy DENY_ALICE_BOB = new PairPolicy(PairPolicy.Mode.DENY_LISTED,
            List.of(new PairPolicy.Rule(Set.of("alice"), Set.of("bob"), 12)));

    private static PathDiagnosis.Peer peer(String cn, int id, String address, List<String> iroutes, String... pushes) {
        List<String> all = new java.util.ArrayList<>(SUBNET_PUSHES);
        all.addAll(List.of(pushes));
        all.add("ifconfig " + address + " 255.255.255.0");
        return new PathDiagnosis.Peer(cn, id, List.of(ip(address)), iroutes, all);
    }

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    /** Facts for a pair of clients on a server with client-to-client and no policy; counters not watched. */
    private static PathDiagnosis.Facts clients(PathDiagnosis.Peer a, String to, PathDiagnosis.Peer b, boolean c2c,
            PairPolicy policy, PathDiagnosis.Probe probe) {
        return new PathDiagnosis.Facts(a == null ? "alice" : a.commonName(), to, a,
                b == null ? null : b.addresses().getFirst(), true, b, null, ip("10.77.0.1"), false, c2c, policy, "0",
                null, List.of(), List.of(), null, null, 0, probe);
    }

    private static PathDiagnosis.Facts outside(PathDiagnosis.Peer a, String to, Gateway g, List<NatRoute> nat,
            List<String> rules) {
        return new PathDiagnosis.Facts(a.commonName(), to, a, ip(to), false, null, null, ip("10.77.0.1"), false, true,
                PairPolicy.OPEN, "1", g, nat, rules, null, null, 0, null);
    }

    private static PathCheck.Step answer(PathCheck c) {
        return c.answer().orElseThrow(() -> new AssertionError("no fault in\n" + String.join("\n", c.lines())));
    }

    @Test
    void aClientThatIsNotConnectedIsTheAnswerAndNothingElseIsChecked() {
        PathCheck c = PathDiagnosis.diagnose(clients(null, "bob", BOB, true, PairPolicy.OPEN, null));
        assertEquals(1, c.steps().size());
        assertEquals("A connected", answer(c).name());
        assertEquals("alice cannot reach bob: no client with the common name 'alice' is connected to this server",
                c.summary());
        assertEquals(PathCheck.Hop.SOURCE, answer(c).hop());
    }

    @Test
    void bNotConnectedIsNamed() {
        PathCheck c = PathDiagnosis.diagnose(clients(ALICE, "dave", null, true, PairPolicy.OPEN, null));
        assertEquals("B connected", answer(c).name());
        assertTrue(answer(c).words().contains("no client with the common name 'dave' is connected"), answer(c).words());
        assertEquals(PathCheck.Hop.TARGET, answer(c).hop());
    }

    @Test
    void clientToClientOffIsTheFaultWhenTheHostDoesNotForward() {
        PathCheck c = PathDiagnosis.diagnose(clients(ALICE, "bob", BOB, false, PairPolicy.OPEN, null));
        assertEquals("client-to-client", answer(c).name());
        assertTrue(answer(c).words().startsWith("client-to-client is off"), answer(c).words());
        assertTrue(answer(c).words().contains("add client-to-client"), answer(c).words());
        PathCheck.Step route = c.steps().stream().filter(s -> s.name().equals("route on A")).findFirst().orElseThrow();
        assertInstanceOf(PathCheck.Ok.class, route.verdict(), "the subnet is alice's own network");
        assertTrue(route.words().contains("its own network (ifconfig 10.77.0.2 255.255.255.0)"), route.words());
    }

    @Test
    void clientToClientOffWithForwardingIsOnlyUnknown() {
        PathDiagnosis.Facts f = clients(ALICE, "bob", BOB, false, PairPolicy.OPEN, null);
        PathDiagnosis.Facts forwarding = new PathDiagnosis.Facts(f.from(), f.to(), f.a(), f.target(), true, f.b(), null,
                f.serverAddress(), false, false, PairPolicy.OPEN, "1", null, List.of(), List.of(), null, null, 0, null);
        PathCheck c = PathDiagnosis.diagnose(forwarding);
        assertTrue(c.works(), () -> String.join("\n", c.lines()));
        assertTrue(c.lines().stream().anyMatch(l -> l.contains("[unknown] client-to-client: client-to-client is off")),
                () -> String.join("\n", c.lines()));
    }

    @Test
    void aDeniedPairNamesThePolicyAndItsLine() {
        PathCheck c = PathDiagnosis.diagnose(clients(ALICE, "bob", BOB, true, DENY_ALICE_BOB, null));
        assertEquals("pair policy", answer(c).name());
        assertEquals("the pair policy denies alice -> bob (culvert-c2c-deny, the rule on line 12): the server drops"
                + " their packets and counts them as DENIED", answer(c).words());
        PathCheck carol = PathDiagnosis.diagnose(clients(ALICE, "carol", CAROL, true, DENY_ALICE_BOB, null));
        assertTrue(carol.works(), () -> String.join("\n", carol.lines()));
    }

    @Test
    void anIrouteTheServerDidNotPushToAIsARouteMissingOnA() {
        PathDiagnosis.Facts f = new PathDiagnosis.Facts("alice", "10.55.0.1", ALICE, ip("10.55.0.1"), false, CAROL,
                "10.55.0.0/24", ip("10.77.0.1"), false, true, PairPolicy.OPEN, "0", null, List.of(), List.of(), null,
                null, 0, null);
        PathCheck c = PathDiagnosis.diagnose(f);
        assertEquals("route on A", answer(c).name());
        assertTrue(answer(c).words().startsWith("the server pushed alice no route that covers 10.55.0.1 (it pushed no"
                + " routes), so alice sends those packets elsewhere"), answer(c).words());
        assertTrue(c.steps().stream().anyMatch(s -> s.line().equals("[ok] B's owner: 10.55.0.1 is behind carol (its"
                + " iroute 10.55.0.0/24)")), () -> String.join("\n", c.lines()));

        PathDiagnosis.Peer pushed = peer("alice", 0, "10.77.0.2", List.of(), "route 10.55.0.0 255.255.255.0");
        PathDiagnosis.Facts fixed = new PathDiagnosis.Facts("alice", "10.55.0.1", pushed, ip("10.55.0.1"), false, CAROL,
                "10.55.0.0/24", ip("10.77.0.1"), false, true, PairPolicy.OPEN, "0", null, List.of(), List.of(), null,
                null, 0, null);
        PathCheck ok = PathDiagnosis.diagnose(fixed);
        assertTrue(ok.works(), () -> String.join("\n", ok.lines()));
        assertTrue(ok.lines().contains("4. [ok] server route: the server routes 10.55.0.1 to carol (iroute 10.55.0.0/24)"),
                () -> String.join("\n", ok.lines()));
    }

    @Test
    void anOutsideAddressWithoutGatewayOrNatIsTheFault() {
        PathDiagnosis.Peer a = peer("alice", 0, "10.77.0.2", List.of(), "route 192.168.77.0 255.255.255.0");
        PathCheck c = PathDiagnosis.diagnose(outside(a, "192.168.77.2", null, List.of(), List.of()));
        assertEquals("gateway/NAT", answer(c).name());
        assertEquals(PathCheck.Hop.OUTSIDE, answer(c).hop());
        assertTrue(answer(c).words().startsWith("no gateway or NAT rule applies to 192.168.77.2"), answer(c).words());

        NatRoute lan = new NatRoute("192.168.77.0", 24, null, true, "10.77.0.0/24", 9);
        PathCheck nat = PathDiagnosis.diagnose(outside(a, "192.168.77.2", null, List.of(lan),
                List.of("ip saddr 10.77.0.0/24 ip daddr 192.168.77.0/24 oifname \"v1\" masquerade")));
        assertTrue(nat.works(), () -> String.join("\n", nat.lines()));
        assertTrue(nat.lines().stream().anyMatch(l -> l.contains("culvert-nat-route on line 9 forwards 192.168.77.0/24 and"
                + " masquerades it")), () -> String.join("\n", nat.lines()));

        PathCheck gone = PathDiagnosis.diagnose(outside(a, "192.168.77.2", null, List.of(lan), List.of()));
        assertTrue(answer(gone).words().endsWith("but Culvert's nftables table holds no rule for this server now"),
                answer(gone).words());
    }

    @Test
    void gatewayModeCoversEveryOutsideAddressItsRedirectSendsIntoTheTunnel() {
        PathDiagnosis.Peer a = peer("alice", 0, "10.77.0.2", List.of(), "redirect-gateway def1");
        Gateway g = new Gateway("eth0", true, false, List.of(), "10.77.0.0/24", null, 4);
        PathCheck c = PathDiagnosis.diagnose(outside(a, "203.0.113.9", g, List.of(), List.of("masquerade")));
        assertTrue(c.works(), () -> String.join("\n", c.lines()));
        assertTrue(c.lines().contains("3. [ok] route on A: alice sends 203.0.113.9 into the tunnel: the pushed"
                + " redirect-gateway def1"), () -> String.join("\n", c.lines()));
        PathDiagnosis.Peer noRoute = peer("alice", 0, "10.77.0.2", List.of());
        assertEquals("route on A", answer(PathDiagnosis.diagnose(outside(noRoute, "203.0.113.9", g, List.of(),
                List.of("masquerade")))).name());
    }

    @Test
    void anAddressInTheVpnThatNobodyHasIsTheFault() {
        PathCheck c = PathDiagnosis.diagnose(outside(ALICE, "10.77.0.99", null, List.of(), List.of()));
        assertEquals("B's owner", answer(c).name());
        assertTrue(answer(c).words().contains("in the VPN's own network, but no connected client has it"));
    }

    @Test
    void countersOfTheWindowSayWhatHappenedToAsPackets() {
        PathDiagnosis.Counters before = new PathDiagnosis.Counters(10, 4, 0, 2, Map.of());
        PathDiagnosis.Counters forwarded = new PathDiagnosis.Counters(15, 9, 0, 2, Map.of());
        PathCheck ok = PathDiagnosis.diagnose(withCounters(before, forwarded));
        assertTrue(ok.lines().contains("7. [ok] counters: 5 packets from alice were forwarded to bob in the last 2 s"),
                () -> String.join("\n", ok.lines()));

        PathDiagnosis.Counters spoofed = new PathDiagnosis.Counters(13, 4, 0, 2, Map.of("BAD_SOURCE", 3L));
        PathCheck bad = PathDiagnosis.diagnose(withCounters(before, spoofed));
        assertEquals("the server dropped 3 packets from alice in the last 2 s: 3 with a source address that is not the"
                + " client's own (BAD_SOURCE)", answer(bad).words());

        PathCheck quiet = PathDiagnosis.diagnose(withCounters(before, before));
        assertTrue(quiet.works());
        assertTrue(quiet.lines().get(7).startsWith("7. [unknown] counters: the server got no packets from alice in the"
                + " last 2 s; send some (a ping from alice to 10.77.0.3)"), quiet.lines().get(7));
    }

    private static PathDiagnosis.Facts withCounters(PathDiagnosis.Counters before, PathDiagnosis.Counters after) {
        return new PathDiagnosis.Facts("alice", "bob", ALICE, ip("10.77.0.3"), true, BOB, null, ip("10.77.0.1"), false,
                true, PairPolicy.OPEN, "0", null, List.of(), List.of(), before, after, 2000, null);
    }

    @Test
    void theProbeReportsTheMeasuredPathMtuAndABlackHoleBelowTheTunnelsMtu() {
        PathCheck works = PathDiagnosis.diagnose(clients(ALICE, "bob", BOB, true, PairPolicy.OPEN,
                new PathDiagnosis.Probe(null, 3, true, 4, 1500, 1500)));
        assertTrue(works.works(), () -> String.join("\n", works.lines()));
        assertEquals(1500, works.pathMtu());
        assertEquals("alice can reach bob through the server; path MTU 1500 bytes", works.summary());

        PathCheck hole = PathDiagnosis.diagnose(clients(ALICE, "bob", BOB, true, PairPolicy.OPEN,
                new PathDiagnosis.Probe(null, 3, true, 4, 1248, 1500)));
        assertEquals("path MTU", answer(hole).name());
        assertTrue(answer(hole).words().startsWith("MTU black hole: packets of up to 1248 bytes cross the tunnel to bob"
                + " and back, larger ones (up to the tunnel's MTU, 1500) are lost without an error"), answer(hole).words());

        PathCheck silent = PathDiagnosis.diagnose(clients(ALICE, "bob", BOB, true, PairPolicy.OPEN,
                new PathDiagnosis.Probe(null, 3, false, 0, null, 1500)));
        assertEquals("bob did not answer 3 echo requests from the server's tunnel address 10.77.0.1: its tunnel, its"
                + " host's firewall or its link drops them", answer(silent).words());
        assertNull(silent.pathMtu());
    }

    @Test
    void pushedRoutesCoverWhatTheyNameAndNothingElse() {
        InetAddress lan = ip("192.168.1.7");
        assertEquals("the pushed route 192.168.1.0 255.255.255.0",
                PathDiagnosis.cover(List.of("route 192.168.1.0 255.255.255.0"), lan));
        assertNull(PathDiagnosis.cover(List.of("route 192.168.2.0 255.255.255.0"), lan));
        assertNull(PathDiagnosis.cover(List.of("redirect-gateway ipv6 !ipv4"), lan), "IPv6 only");
        assertEquals("the pushed redirect-gateway def1 ipv6",
                PathDiagnosis.cover(List.of("redirect-gateway def1 ipv6"), ip("2001:db8::1")));
        assertEquals("the pushed route-ipv6 2001:db8:5::/64",
                PathDiagnosis.cover(List.of("route-ipv6 2001:db8:5::/64"), ip("2001:db8:5::9")));
        assertNull(PathDiagnosis.cover(List.of("ifconfig 10.8.0.6 10.8.0.5"), ip("10.8.0.10")),
                "net30: only the peer is on the link");
        assertFalse(PathDiagnosis.cover(List.of("route bogus"), lan) != null);
    }
}
