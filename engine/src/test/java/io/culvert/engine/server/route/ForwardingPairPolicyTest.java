package io.culvert.engine.server.route;

import io.culvert.engine.net.IpPrefix;
import static io.culvert.engine.server.route.TestPackets.arpRequest;
import static io.culvert.engine.server.route.TestPackets.ip;
import static io.culvert.engine.server.route.TestPackets.ipv4;
import static io.culvert.engine.server.route.TestPackets.ipv4Frame;
import static io.culvert.engine.server.route.TestPackets.ipv6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.culvert.engine.common.PairPolicy;
import java.net.Inet4Address;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client-to-client pair policy in the server's router (ADR 0037): alice (A) and bob (B) denied, carol (C) free.
 * Denied unicast becomes {@link Route.Denied}, broadcasts leave the denied receivers out, and the flow counters count
 * both as {@link FlowKind#DENIED} per pair.
 */
class ForwardingPairPolicyTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final InstanceId C = new InstanceId(3);
    private static final PairPolicy DENY_ALICE_BOB = new PairPolicy(PairPolicy.Mode.DENY_LISTED,
            List.of(new PairPolicy.Rule(Set.of("alice"), Set.of("bob"), 1)));
    private static final String MAC_A = "02:00:00:00:00:0a";
    private static final String MAC_B = "02:00:00:00:00:0b";
    private static final String MAC_C = "02:00:00:00:00:0c";

    private final VirtualRouter router = new VirtualRouter();

    private Forwarding tun(PairPolicy policy) {
        Forwarding f = Forwarding.tun(true, policy, router, (Inet4Address) ip("10.8.0.255"));
        f.attach(A, "alice");
        f.attach(B, "bob");
        f.attach(C, "carol");
        router.learnAddress(A, ip("10.8.0.2"));
        router.learnAddress(A, ip("fd00::2"));
        router.learnAddress(B, ip("10.8.0.3"));
        router.learnAddress(B, ip("fd00::3"));
        router.learnRoute(B, IpPrefix.parse("192.168.20.0/24"));
        router.learnAddress(C, ip("10.8.0.4"));
        return f;
    }

    private static Route from(Forwarding f, InstanceId id, byte[] packet) {
        return f.fromInstance(id, packet, 0, packet.length, 0);
    }

    @Test
    void aDeniedPairIsDeniedBothWaysOverIpv4Ipv6AndIroutesWhileOthersStillMeet() {
        Forwarding f = tun(DENY_ALICE_BOB);
        assertEquals(new Route.Denied(B), from(f, A, ipv4("10.8.0.2", "10.8.0.3")));
        assertEquals(new Route.Denied(A), from(f, B, ipv4("10.8.0.3", "10.8.0.2")));
        assertEquals(new Route.Denied(B), from(f, A, ipv6("fd00::2", "fd00::3")));
        assertEquals(new Route.Denied(B), from(f, A, ipv4("10.8.0.2", "192.168.20.7")), "the network behind bob too");
        assertEquals(new Route.ToInstance(C), from(f, A, ipv4("10.8.0.2", "10.8.0.4")));
        assertEquals(new Route.ToInstance(A), from(f, C, ipv4("10.8.0.4", "10.8.0.2")));
        assertEquals(new Route.ToInstance(C), from(f, B, ipv4("10.8.0.3", "10.8.0.4")));
        assertSame(Route.TO_DEVICE, from(f, A, ipv4("10.8.0.2", "10.8.0.1")), "the server host is not a client");
        assertEquals(new Route.ToInstance(B), f.fromDevice(ipv4("10.8.0.1", "10.8.0.3"), 0, 20, 0),
                "the device reaches everyone");
    }

    @Test
    void aBroadcastLeavesOutTheReceiversTheSenderMayNotReach() {
        Forwarding f = tun(DENY_ALICE_BOB);
        assertEquals(new Route.Flood(List.of(C), true, List.of(B)), from(f, A, ipv4("10.8.0.2", "224.0.0.251")));
        assertEquals(new Route.Flood(List.of(C), true, List.of(A)), from(f, B, ipv4("10.8.0.3", "10.8.0.255")));
        assertEquals(new Route.Flood(List.of(A, B), true), from(f, C, ipv4("10.8.0.4", "255.255.255.255")));
    }

    @Test
    void anInstanceThatLeavesIsForgottenByThePolicyAndOneThatComesBackIsJudgedAgain() {
        Forwarding f = tun(DENY_ALICE_BOB);
        f.detach(B);
        assertEquals(new Route.Flood(List.of(C), true), from(f, A, ipv4("10.8.0.2", "224.0.0.251")));
        f.attach(B, "bob-laptop");
        router.learnAddress(B, ip("10.8.0.3"));
        assertEquals(new Route.ToInstance(B), from(f, A, ipv4("10.8.0.2", "10.8.0.3")), "the peer-id now is someone else");
        f.detach(B);
        f.attach(B, "bob");
        router.learnAddress(B, ip("10.8.0.3"));
        assertEquals(new Route.Denied(B), from(f, A, ipv4("10.8.0.2", "10.8.0.3")));
    }

    @Test
    void allowOnlyLetsOnlyTheListedPairsMeet() {
        PairPolicy onlyAliceCarol = new PairPolicy(PairPolicy.Mode.ALLOW_ONLY_LISTED,
                List.of(new PairPolicy.Rule(Set.of("alice"), Set.of("carol"), 1)));
        Forwarding f = tun(onlyAliceCarol);
        assertEquals(new Route.ToInstance(C), from(f, A, ipv4("10.8.0.2", "10.8.0.4")));
        assertEquals(new Route.Denied(B), from(f, A, ipv4("10.8.0.2", "10.8.0.3")));
        assertEquals(new Route.Denied(C), from(f, B, ipv4("10.8.0.3", "10.8.0.4")));
        assertEquals(new Route.Flood(List.of(), true, List.of(A, C)), from(f, B, ipv4("10.8.0.3", "224.0.0.1")));
    }

    @Test
    void onTapDeniedPairsGetNoBroadcastCopiesAndNoUnicastOnceTheirMacIsKnown() {
        Forwarding f = Forwarding.tap(true, DENY_ALICE_BOB, new MacTable());
        f.attach(A, "alice");
        f.attach(B, "bob");
        f.attach(C, "carol");
        assertEquals(new Route.Flood(List.of(C), true, List.of(B)),
                f.fromInstance(A, arpRequest(MAC_A, "10.8.0.2", "10.8.0.3"), 0, 42, 0));
        byte[] bobArp = arpRequest(MAC_B, "10.8.0.3", "10.8.0.4");
        assertEquals(new Route.Flood(List.of(C), true, List.of(A)), f.fromInstance(B, bobArp, 0, bobArp.length, 0));
        f.fromInstance(C, arpRequest(MAC_C, "10.8.0.4", "10.8.0.1"), 0, 42, 0);
        byte[] toBob = ipv4Frame(MAC_B, MAC_A, "10.8.0.2", "10.8.0.3");
        assertEquals(new Route.Denied(B), f.fromInstance(A, toBob, 0, toBob.length, 0));
        byte[] toCarol = ipv4Frame(MAC_C, MAC_A, "10.8.0.2", "10.8.0.4");
        assertEquals(new Route.ToInstance(C), f.fromInstance(A, toCarol, 0, toCarol.length, 0));
    }

    @Test
    void deniedPacketsAndWithheldCopiesAreCountedPerPairAndNeverDelivered() {
        Forwarding f = tun(DENY_ALICE_BOB);
        FlowCounters flows = new FlowCounters();
        List.of(A, B, C).forEach(flows::register);
        byte[] toBob = ipv4("10.8.0.2", "10.8.0.3");
        for (int i = 0; i < 3; i++) {
            flows.account(A, from(f, A, toBob), toBob.length);
        }
        byte[] mdns = ipv4("10.8.0.2", "224.0.0.251");
        flows.account(A, from(f, A, mdns), mdns.length);
        FlowSnapshot s = flows.snapshot();
        assertEquals(List.of(
                new FlowSample(A, Endpoint.SERVER, FlowKind.BROADCAST, 1, mdns.length),
                new FlowSample(A, B, FlowKind.DENIED, 4, 3L * toBob.length + mdns.length),
                new FlowSample(A, C, FlowKind.BROADCAST, 1, mdns.length)), s.flows());
        assertEquals(4, s.instances().get(A).packetsIn(), "the server received them");
        assertEquals(0, s.instances().get(B).packetsOut(), "bob got nothing");
    }
}
