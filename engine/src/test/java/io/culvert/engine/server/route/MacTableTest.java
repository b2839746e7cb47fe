package io.culvert.engine.server.route;

import static io.culvert.engine.server.route.TestPackets.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MacTableTest {
    private static final InstanceId A = new InstanceId(1);
    private static final InstanceId B = new InstanceId(2);
    private static final long MAC_1 = mac("02:00:00:00:00:01");
    private static final long MAC_2 = mac("02:00:00:00:00:02");
    private static final long MAC_3 = mac("02:00:00:00:00:03");
    private static final long AGE = 10_000;

    private final MacTable table = new MacTable(2, AGE);

    @Test
    void learnsAndLooksUpSourceMacs() {
        assertTrue(table.learn(MAC_1, A, 0));
        assertTrue(table.learn(MAC_2, B, 0));
        assertEquals(A, table.lookup(MAC_1, 1));
        assertEquals(B, table.lookup(MAC_2, 1));
        assertNull(table.lookup(MAC_3, 1));
        assertEquals(List.of(MacAddress.parse("02:00:00:00:00:01")), table.macsOf(A));
    }

    @Test
    void entryExpiresWhenUnseenForLongerThanTheAge() {
        table.learn(MAC_1, A, 1_000);
        assertEquals(A, table.lookup(MAC_1, 1_000 + AGE));
        assertNull(table.lookup(MAC_1, 1_000 + AGE + 1));
        assertEquals(0, table.size());
        assertEquals(List.of(), table.macsOf(A));
    }

    @Test
    void seeingTheMacAgainRefreshesItsAge() {
        table.learn(MAC_1, A, 0);
        table.learn(MAC_1, A, 8_000);
        assertEquals(A, table.lookup(MAC_1, 15_000));
        assertNull(table.lookup(MAC_1, 18_001));
    }

    @Test
    void lookupsDoNotRefreshTheAge() {
        table.learn(MAC_1, A, 0);
        assertEquals(A, table.lookup(MAC_1, 9_000));
        assertNull(table.lookup(MAC_1, 10_001));
    }

    @Test
    void quotaRefusesOneMacTooManyWithoutChangingAnything() {
        assertTrue(table.learn(MAC_1, A, 0));
        assertTrue(table.learn(MAC_2, A, 0));
        assertFalse(table.learn(MAC_3, A, 0));
        assertNull(table.lookup(MAC_3, 0));
        assertEquals(2, table.macsOf(A).size());
        assertTrue(table.learn(MAC_3, B, 0), "the quota is per instance");
    }

    @Test
    void agedOutEntriesFreeQuota() {
        table.learn(MAC_1, A, 0);
        table.learn(MAC_2, A, 5_000);
        assertFalse(table.learn(MAC_3, A, 10_000));
        assertTrue(table.learn(MAC_3, A, 10_001));
        assertEquals(Set.of(MAC_2, MAC_3), bits(table.macsOf(A)));
    }

    @Test
    void macSeenBehindAnotherInstanceMovesThere() {
        table.learn(MAC_1, A, 0);
        assertTrue(table.learn(MAC_1, B, 1));
        assertEquals(B, table.lookup(MAC_1, 2));
        assertEquals(List.of(), table.macsOf(A));
        assertEquals(Set.of(MAC_1), bits(table.macsOf(B)));
        assertEquals(1, table.size());
    }

    @Test
    void moveIsRefusedWhenTheNewInstanceIsAtItsQuota() {
        table.learn(MAC_1, A, 0);
        table.learn(MAC_2, B, 0);
        table.learn(MAC_3, B, 0);
        assertFalse(table.learn(MAC_1, B, 1));
        assertEquals(A, table.lookup(MAC_1, 1));
    }

    @Test
    void forgetRemovesOnlyThatInstancesMacs() {
        table.learn(MAC_1, A, 0);
        table.learn(MAC_2, A, 0);
        table.learn(MAC_3, B, 0);
        table.forget(A);
        assertNull(table.lookup(MAC_1, 0));
        assertNull(table.lookup(MAC_2, 0));
        assertEquals(B, table.lookup(MAC_3, 0));
        assertEquals(List.of(), table.macsOf(A));
        assertTrue(table.learn(MAC_1, A, 0), "quota starts afresh");
    }

    @Test
    void expireSweepsEveryStaleEntry() {
        MacTable big = new MacTable(100, AGE);
        for (int i = 0; i < 50; i++) {
            big.learn(0x0200_0000_0000L + i, i % 2 == 0 ? A : B, i < 30 ? 0 : 5_000);
        }
        assertEquals(30, big.expire(AGE + 1));
        assertEquals(20, big.size());
        assertEquals(10, big.macsOf(A).size());
        assertEquals(10, big.macsOf(B).size());
        assertEquals(0, big.expire(AGE + 2));
    }

    @Test
    void publishedMacListIsImmutable() {
        table.learn(MAC_1, A, 0);
        List<MacAddress> macs = table.macsOf(A);
        assertThrows(UnsupportedOperationException.class, macs::clear);
        table.learn(MAC_2, A, 0);
        assertEquals(1, macs.size(), "an earlier snapshot does not change");
    }

    @Test
    void macAddressParsesFormatsAndKnowsTheGroupBit() {
        MacAddress m = MacAddress.parse("01-00-5E-00-00-FB");
        assertEquals("01:00:5e:00:00:fb", m.toString());
        assertTrue(m.isGroup());
        assertFalse(MacAddress.parse("02:00:00:00:00:01").isGroup());
        assertTrue(MacAddress.parse("ff:ff:ff:ff:ff:ff").isGroup());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:01"));
    }

    private static Set<Long> bits(List<MacAddress> macs) {
        return macs.stream().map(MacAddress::bits).collect(Collectors.toSet());
    }
}
