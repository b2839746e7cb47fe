package io.culvert.engine.server.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.server.pool.PoolSpec.Mode;
import java.net.Inet4Address;
import org.junit.jupiter.api.Test;

class AddressPoolTest {
    /** What {@code server 10.8.0.0 255.255.255.0} gives each topology (openvpn 2.6.14 option dump). */
    static final PoolSpec NET30 = PoolSpec.ipv4(Mode.NET30, "10.8.0.4", "10.8.0.251", null, null);
    static final PoolSpec SUBNET = PoolSpec.ipv4(Mode.SUBNET, "10.8.0.2", "10.8.0.254", "255.255.255.0", null);
    static final PoolSpec P2P = PoolSpec.ipv4(Mode.P2P, "10.8.0.4", "10.8.0.251", null, "10.8.0.1");

    static String ifconfig(AddressPool pool, String cn) {
        return pool.acquire(cn, false).orElseThrow().ifconfigOption();
    }

    @Test
    void net30ClientsGetTheThirdAddressOfTheirSlash30() {
        AddressPool pool = new AddressPool(NET30);
        assertEquals(62, pool.size());
        Lease first = pool.acquire("alice", false).orElseThrow();
        assertEquals("ifconfig 10.8.0.6 10.8.0.5", first.ifconfigOption());
        assertEquals(0, first.index());
        assertEquals("ifconfig 10.8.0.10 10.8.0.9", ifconfig(pool, "bob"));
        assertNull(first.ifconfigIpv6Option());
    }

    @Test
    void lastNet30BlockEndsAtBroadcastMinusFour() {
        AddressPool pool = new AddressPool(NET30);
        String last = null;
        for (int i = 0; i < 62; i++) {
            last = ifconfig(pool, "c" + i);
        }
        assertEquals("ifconfig 10.8.0.250 10.8.0.249", last);
        assertTrue(pool.acquire("late", false).isEmpty());
    }

    @Test
    void slash29ServerHasExactlyOneNet30Client() {
        AddressPool pool = new AddressPool(PoolSpec.ipv4(Mode.NET30, "10.8.0.4", "10.8.0.7", null, null));
        assertEquals(1, pool.size());
        assertEquals("ifconfig 10.8.0.6 10.8.0.5", ifconfig(pool, "only"));
        assertTrue(pool.acquire("second", false).isEmpty());
    }

    @Test
    void subnetClientsGetAnAddressAndTheMask() {
        AddressPool pool = new AddressPool(SUBNET);
        assertEquals(253, pool.size());
        assertEquals("ifconfig 10.8.0.2 255.255.255.0", ifconfig(pool, "alice"));
        assertEquals("ifconfig 10.8.0.3 255.255.255.0", ifconfig(pool, "bob"));
    }

    @Test
    void p2pClientsGetTheServerAsPeer() {
        AddressPool pool = new AddressPool(P2P);
        assertEquals(248, pool.size());
        assertEquals("ifconfig 10.8.0.4 10.8.0.1", ifconfig(pool, "alice"));
    }

    @Test
    void exhaustedPoolReturnsEmptyUntilARelease() {
        AddressPool pool = new AddressPool(PoolSpec.ipv4(Mode.SUBNET, "10.8.0.2", "10.8.0.3", "255.255.255.0", null));
        Lease a = pool.acquire("a", false).orElseThrow();
        pool.acquire("b", false).orElseThrow();
        assertTrue(pool.acquire("c", false).isEmpty());
        assertEquals(2, pool.leased());
        pool.release(a);
        assertThrows(IllegalArgumentException.class, () -> pool.release(a));
        assertEquals("ifconfig 10.8.0.2 255.255.255.0", ifconfig(pool, "c"));
    }

    @Test
    void commonNameGetsItsPreviousSlotBack() {
        AddressPool pool = new AddressPool(SUBNET);
        Lease alice = pool.acquire("alice", false).orElseThrow();
        pool.acquire("bob", false).orElseThrow();
        pool.release(alice);
        assertEquals("ifconfig 10.8.0.4 255.255.255.0", ifconfig(pool, "carol"));
        assertEquals("ifconfig 10.8.0.2 255.255.255.0", ifconfig(pool, "alice"));
    }

    @Test
    void newNameTakesTheSlotReleasedLongestAgo() {
        AddressPool pool = new AddressPool(PoolSpec.ipv4(Mode.SUBNET, "10.8.0.2", "10.8.0.4", "255.255.255.0", null));
        Lease a = pool.acquire("a", false).orElseThrow();
        Lease b = pool.acquire("b", false).orElseThrow();
        Lease c = pool.acquire("c", false).orElseThrow();
        pool.release(b);
        pool.release(c);
        pool.release(a);
        assertEquals("ifconfig 10.8.0.3 255.255.255.0", ifconfig(pool, "d"));
        assertEquals("ifconfig 10.8.0.4 255.255.255.0", ifconfig(pool, "e"));
        assertEquals("ifconfig 10.8.0.2 255.255.255.0", ifconfig(pool, "a"));
    }

    @Test
    void duplicateCnTakesTheLowestFreeSlotWithoutAffinity() {
        AddressPool pool = new AddressPool(SUBNET);
        Lease first = pool.acquire("shared", true).orElseThrow();
        Lease second = pool.acquire("shared", true).orElseThrow();
        assertEquals("10.8.0.3", second.address().getHostAddress());
        pool.release(second);
        pool.release(first);
        assertEquals("10.8.0.2", pool.acquire("shared", true).orElseThrow().address().getHostAddress());
        assertTrue(pool.entries().isEmpty());
    }

    @Test
    void reservedStaticAddressesAreNeverHandedOut() {
        AddressPool pool = new AddressPool(SUBNET);
        assertTrue(pool.reserve(Inet4Address.ofLiteral("10.8.0.2")));
        assertFalse(pool.reserve(Inet4Address.ofLiteral("10.9.0.2")));
        assertEquals("ifconfig 10.8.0.3 255.255.255.0", ifconfig(pool, "alice"));
        AddressPool net30 = new AddressPool(NET30);
        assertTrue(net30.reserve(Inet4Address.ofLiteral("10.8.0.6")));
        assertEquals("ifconfig 10.8.0.10 10.8.0.9", ifconfig(net30, "alice"));
        assertTrue(net30.unreserve(Inet4Address.ofLiteral("10.8.0.4")));
        assertEquals("ifconfig 10.8.0.6 10.8.0.5", ifconfig(net30, "bob"));
    }

    @Test
    void ipv6AddressSharesThePoolIndex() {
        AddressPool pool = new AddressPool(SUBNET.withIpv6("fd00:8::1000", 64, "fd00:8::1"));
        Lease a = pool.acquire("a", false).orElseThrow();
        Lease b = pool.acquire("b", false).orElseThrow();
        assertEquals("ifconfig-ipv6 fd00:8::1000/64 fd00:8::1", a.ifconfigIpv6Option());
        assertEquals("ifconfig-ipv6 fd00:8::1001/64 fd00:8::1", b.ifconfigIpv6Option());
        assertEquals("ifconfig 10.8.0.3 255.255.255.0", b.ifconfigOption());
    }

    @Test
    void smallIpv6PrefixLimitsThePool() {
        AddressPool pool = new AddressPool(SUBNET.withIpv6("fd00::2", 124, "fd00::1"));
        assertEquals(14, pool.size());
        AddressPool only6 = new AddressPool(PoolSpec.ipv6Only("fd00::1000", 64, "fd00::1"));
        Lease l = only6.acquire("x", false).orElseThrow();
        assertNull(l.ifconfigOption());
        assertEquals("ifconfig-ipv6 fd00::1000/64 fd00::1", l.ifconfigIpv6Option());
        assertEquals(AddressPool.MAX_SIZE, only6.size());
    }
}
