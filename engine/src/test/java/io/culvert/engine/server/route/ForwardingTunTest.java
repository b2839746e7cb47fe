package io.culvert.engine.server.route;

import io.culvert.engine.net.IpPrefix;
import static io.culvert.engine.server.route.TestPackets.ip;
import static io.culvert.engine.server.route.TestPackets.ipv4;
import static io.culvert.engine.server.route.TestPackets.ipv6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Inet4Address;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingTunTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final InstanceId C = new InstanceId(3);
    private static final Route.Drop BAD_SOURCE = new Route.Drop(Route.Cause.BAD_SOURCE);

    private final VirtualRouter router = new VirtualRouter();
    private final Forwarding c2c = network(true);
    private final Forwarding noC2c = network(false);

    private Forwarding network(boolean clientToClient) {
        Forwarding f = Forwarding.tun(clientToClient, router, (Inet4Address) ip("10.8.0.255"));
        for (InstanceId id : List.of(A, B, C)) {
            f.attach(id);
        }
        router.learnAddress(A, ip("10.8.0.2"));
        router.learnAddress(A, ip("fd00::2"));
        router.learnRoute(A, IpPrefix.parse("192.168.10.0/24"));
        router.learnAddress(B, ip("10.8.0.3"));
        router.learnAddress(B, ip("fd00::3"));
        router.learnAddress(C, ip("10.8.0.4"));
        return f;
    }

    private static Route from(Forwarding f, InstanceId id, byte[] packet) {
        return f.fromInstance(id, packet, 0, packet.length, 0);
    }

    private static Route fromDevice(Forwarding f, byte[] packet) {
        return f.fromDevice(packet, 0, packet.length, 0);
    }

    @Test
    void clientToClientUnicastGoesToTheOwnerOnly() {
        assertEquals(new Route.ToInstance(B), from(c2c, A, ipv4("10.8.0.2", "10.8.0.3")));
        assertEquals(new Route.ToInstance(A), from(c2c, B, ipv4("10.8.0.3", "192.168.10.20")));
        assertEquals(new Route.ToInstance(B), from(c2c, A, ipv6("fd00::2", "fd00::3")));
    }

    @Test
    void unicastToAnUnownedAddressGoesToTheDevice() {
        assertSame(Route.TO_DEVICE, from(c2c, A, ipv4("10.8.0.2", "10.8.0.1")));
        assertSame(Route.TO_DEVICE, from(c2c, A, ipv4("10.8.0.2", "8.8.8.8")));
        assertSame(Route.TO_DEVICE, from(c2c, A, ipv6("fd00::2", "2001:db8::1")));
    }

    @Test
    void withoutClientToClientEverythingGoesToTheDevice() {
        assertSame(Route.TO_DEVICE, from(noC2c, A, ipv4("10.8.0.2", "10.8.0.3")));
        assertSame(Route.TO_DEVICE, from(noC2c, A, ipv4("10.8.0.2", "224.0.0.251")));
        assertSame(Route.TO_DEVICE, from(noC2c, A, ipv4("10.8.0.2", "255.255.255.255")));
        assertSame(Route.TO_DEVICE, from(noC2c, A, ipv6("fd00::2", "fd00::3")));
    }

    @Test
    void multicastAndBroadcastFloodToOtherClientsAndTheDevice() {
        Route.Flood expected = new Route.Flood(List.of(B, C), true);
        assertEquals(expected, from(c2c, A, ipv4("10.8.0.2", "224.0.0.251")));
        assertEquals(expected, from(c2c, A, ipv4("10.8.0.2", "239.255.255.250")));
        assertEquals(expected, from(c2c, A, ipv4("10.8.0.2", "255.255.255.255")));
        assertEquals(expected, from(c2c, A, ipv4("10.8.0.2", "10.8.0.255")));
        assertEquals(expected, from(c2c, A, ipv6("fd00::2", "ff02::1")));
        assertEquals(new Route.Flood(List.of(A, C), true), from(c2c, B, ipv4("10.8.0.3", "224.0.0.1")));
    }

    @Test
    void spoofedSourceIsDroppedWithOrWithoutClientToClient() {
        assertEquals(BAD_SOURCE, from(c2c, A, ipv4("10.8.0.3", "10.8.0.4")));
        assertEquals(BAD_SOURCE, from(noC2c, A, ipv4("10.8.0.99", "8.8.8.8")));
        assertEquals(BAD_SOURCE, from(c2c, B, ipv4("192.168.10.5", "10.8.0.2")));
        assertEquals(BAD_SOURCE, from(c2c, A, ipv6("fd00::3", "fd00::2")));
        assertEquals(BAD_SOURCE, from(noC2c, C, ipv6("fd00::4", "2001:db8::1")));
    }

    @Test
    void sourceInsideTheSendersIrouteIsAccepted() {
        assertEquals(new Route.ToInstance(B), from(c2c, A, ipv4("192.168.10.20", "10.8.0.3")));
    }

    @Test
    void ipv6LinkLocalSourceIsExemptFromTheSourceCheck() {
        assertEquals(new Route.Flood(List.of(A, B), true), from(c2c, C, ipv6("fe80::1234", "ff02::2")));
        assertSame(Route.TO_DEVICE, from(noC2c, C, ipv6("febf::1", "fe80::1")));
        assertEquals(BAD_SOURCE, from(c2c, C, ipv6("fec0::1", "ff02::2")), "fec0::/10 is not link-local");
    }

    @Test
    void packetToTheSendersOwnAddressIsDropped() {
        assertEquals(new Route.Drop(Route.Cause.TO_SELF), from(c2c, A, ipv4("10.8.0.2", "192.168.10.9")));
    }

    @Test
    void malformedAndUnknownSendersAreDropped() {
        Route.Drop malformed = new Route.Drop(Route.Cause.MALFORMED);
        byte[] short4 = java.util.Arrays.copyOf(ipv4("10.8.0.2", "10.8.0.3"), 19);
        byte[] short6 = java.util.Arrays.copyOf(ipv6("fd00::2", "fd00::3"), 39);
        byte[] version5 = ipv4("10.8.0.2", "10.8.0.3");
        version5[0] = 0x55;
        assertEquals(malformed, from(c2c, A, short4));
        assertEquals(malformed, from(c2c, A, short6));
        assertEquals(malformed, from(c2c, A, version5));
        assertEquals(malformed, from(c2c, A, new byte[0]));
        assertEquals(malformed, fromDevice(c2c, short6));
        assertEquals(new Route.Drop(Route.Cause.UNKNOWN_SENDER), from(c2c, new InstanceId(9), ipv4("10.8.0.2", "10.8.0.3")));
    }

    @Test
    void readsHeadersAtAnOffset() {
        byte[] p = ipv4("10.8.0.2", "10.8.0.3");
        byte[] padded = new byte[p.length + 7];
        System.arraycopy(p, 0, padded, 5, p.length);
        assertEquals(new Route.ToInstance(B), c2c.fromInstance(A, padded, 5, p.length, 0));
    }

    @Test
    void deviceUnicastGoesToTheOwnerAndUnownedIsDropped() {
        assertEquals(new Route.ToInstance(C), fromDevice(c2c, ipv4("10.8.0.1", "10.8.0.4")));
        assertEquals(new Route.ToInstance(A), fromDevice(noC2c, ipv4("10.8.0.1", "192.168.10.200")));
        assertEquals(new Route.ToInstance(B), fromDevice(c2c, ipv6("fd00::1", "fd00::3")));
        assertEquals(new Route.Drop(Route.Cause.NO_OWNER), fromDevice(c2c, ipv4("10.8.0.1", "10.8.0.77")));
        assertEquals(new Route.Drop(Route.Cause.NO_OWNER), fromDevice(c2c, ipv6("fd00::1", "fd00::77")));
    }

    @Test
    void deviceBroadcastAndMulticastFloodToEveryClient() {
        Route.Flood all = new Route.Flood(List.of(A, B, C), false);
        assertEquals(all, fromDevice(c2c, ipv4("10.8.0.1", "10.8.0.255")));
        assertEquals(all, fromDevice(noC2c, ipv4("10.8.0.1", "255.255.255.255")));
        assertEquals(all, fromDevice(c2c, ipv4("10.8.0.1", "224.0.0.1")));
        assertEquals(all, fromDevice(c2c, ipv6("fe80::1", "ff02::1")));
    }

    @Test
    void detachStopsFloodingToAndRoutingToTheInstance() {
        Route before = from(c2c, A, ipv4("10.8.0.2", "224.0.0.1"));
        c2c.detach(B);
        assertEquals(new Route.Flood(List.of(B, C), true), before, "an earlier decision is not changed");
        assertEquals(new Route.Flood(List.of(C), true), from(c2c, A, ipv4("10.8.0.2", "224.0.0.1")));
        assertSame(Route.TO_DEVICE, from(c2c, A, ipv4("10.8.0.2", "10.8.0.3")));
        assertEquals(new Route.Drop(Route.Cause.NO_OWNER), fromDevice(c2c, ipv4("10.8.0.1", "10.8.0.3")));
        assertEquals(List.of(A, C), c2c.instances());
    }

    @Test
    void repeatedDecisionsReuseTheSameRouteObjects() {
        byte[] mcast = ipv4("10.8.0.2", "224.0.0.1");
        byte[] uni = ipv4("10.8.0.2", "10.8.0.3");
        assertSame(from(c2c, A, mcast), from(c2c, A, mcast));
        assertSame(from(c2c, A, uni), from(c2c, A, uni));
        assertSame(from(c2c, A, ipv4("10.8.0.3", "1.1.1.1")), from(c2c, C, ipv4("10.8.0.2", "1.1.1.1")));
    }
}
