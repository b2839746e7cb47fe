package io.culvert.engine.server.route;

import io.culvert.engine.net.IpPrefix;
import static io.culvert.engine.server.route.TestPackets.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualRouterTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final InstanceId C = new InstanceId(3);
    private static final InstanceId D = new InstanceId(4);

    private final VirtualRouter router = new VirtualRouter();

    @Test
    void findsIpv4AndIpv6HostAddresses() {
        router.learnAddress(A, ip("10.8.0.6"));
        router.learnAddress(A, ip("fd00::1000"));
        router.learnAddress(B, ip("10.8.0.10"));

        assertEquals(A, router.ownerOf(ip("10.8.0.6")));
        assertEquals(A, router.ownerOfIpv4(0x0A08_0006));
        assertEquals(A, router.ownerOfIpv6(0xFD00_0000_0000_0000L, 0x1000));
        assertEquals(B, router.ownerOf(ip("10.8.0.10")));
        assertNull(router.ownerOf(ip("10.8.0.7")));
        assertNull(router.ownerOf(ip("fd00::1001")));
    }

    @Test
    void longestPrefixWinsAmongOverlappingIroutes() {
        router.learnRoute(A, IpPrefix.parse("10.0.0.0/8"));
        router.learnRoute(B, IpPrefix.parse("10.1.0.0/16"));
        router.learnRoute(C, IpPrefix.parse("10.1.2.0/24"));
        router.learnAddress(D, ip("10.1.2.3"));

        assertEquals(D, router.ownerOf(ip("10.1.2.3")));
        assertEquals(C, router.ownerOf(ip("10.1.2.4")));
        assertEquals(B, router.ownerOf(ip("10.1.3.4")));
        assertEquals(A, router.ownerOf(ip("10.200.0.1")));
        assertNull(router.ownerOf(ip("11.0.0.1")));

        router.forget(C);
        assertEquals(B, router.ownerOf(ip("10.1.2.4")));
        router.forget(B);
        assertEquals(A, router.ownerOf(ip("10.1.2.4")));
        assertEquals(D, router.ownerOf(ip("10.1.2.3")));
    }

    @Test
    void longestPrefixMatchForIpv6Iroutes() {
        router.learnRoute(A, IpPrefix.parse("2001:db8::/32"));
        router.learnRoute(B, IpPrefix.parse("2001:db8:1::/48"));
        router.learnRoute(C, IpPrefix.parse("2001:db8:1:2:8000::/65"));

        assertEquals(C, router.ownerOf(ip("2001:db8:1:2:8000::5")));
        assertEquals(B, router.ownerOf(ip("2001:db8:1:2:7fff::5")));
        assertEquals(A, router.ownerOf(ip("2001:db8:ffff::1")));
        assertNull(router.ownerOf(ip("2001:db9::1")));
    }

    @Test
    void aZeroLengthIrouteMatchesEverythingOfItsFamily() {
        router.learnRoute(A, IpPrefix.parse("0.0.0.0/0"));
        assertEquals(A, router.ownerOf(ip("203.0.113.9")));
        assertNull(router.ownerOf(ip("2001:db8::1")));
    }

    @Test
    void forgetRemovesEverythingTheInstanceOwnsAndNothingElse() {
        router.learnAddress(A, ip("10.8.0.6"));
        router.learnAddress(A, ip("fd00::6"));
        router.learnRoute(A, IpPrefix.parse("192.168.10.0/24"));
        router.learnRoute(A, IpPrefix.parse("fd01::/64"));
        router.learnAddress(B, ip("10.8.0.10"));

        router.forget(A);

        assertNull(router.ownerOf(ip("10.8.0.6")));
        assertNull(router.ownerOf(ip("fd00::6")));
        assertNull(router.ownerOf(ip("192.168.10.1")));
        assertNull(router.ownerOf(ip("fd01::1")));
        assertEquals(B, router.ownerOf(ip("10.8.0.10")));
        assertEquals(List.of(B), List.copyOf(router.snapshot().keySet()));
    }

    @Test
    void anAddressLearnedByAnotherInstanceMovesAndSurvivesTheOldOwnersForget() {
        router.learnAddress(A, ip("10.8.0.6"));
        assertEquals(A, router.learnAddress(B, ip("10.8.0.6")));
        router.forget(A);
        assertEquals(B, router.ownerOf(ip("10.8.0.6")));
        assertEquals(List.of(), router.snapshot().getOrDefault(A, new VirtualRouter.Owned(List.of(), List.of())).addresses());
    }

    @Test
    void snapshotIsImmutableAndReflectsTheLastChange() {
        Map<InstanceId, VirtualRouter.Owned> before = router.snapshot();
        router.learnAddress(B, ip("10.8.0.10"));
        router.learnAddress(A, ip("10.8.0.6"));
        router.learnRoute(A, IpPrefix.parse("192.168.10.77/24"));

        Map<InstanceId, VirtualRouter.Owned> after = router.snapshot();
        assertEquals(Map.of(), before);
        assertEquals(List.of(A, B), List.copyOf(after.keySet()));
        assertEquals(List.of(ip("10.8.0.6")), after.get(A).addresses());
        assertEquals(List.of(IpPrefix.parse("192.168.10.0/24")), after.get(A).iroutes());
        assertThrows(UnsupportedOperationException.class, () -> after.remove(A));
        assertThrows(UnsupportedOperationException.class, () -> after.get(A).addresses().clear());
    }

    @Test
    void prefixClearsHostBitsAndValidatesLength() {
        assertEquals("192.168.10.0/24", IpPrefix.parse("192.168.10.77/24").toString());
        assertEquals("10.0.0.0/12", IpPrefix.parse("10.15.255.255/12").toString());
        assertEquals("2001:db8:0:0:8000:0:0:0/65", IpPrefix.parse("2001:db8::ffff:ffff:ffff:ffff/65").toString());
        assertEquals(32, IpPrefix.parse("10.1.2.3").length());
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com/24"));
    }
}
