package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.sys.InMemoryPacketFilter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kill switch's nftables rules, exactly, and the life of its table in a filter double. */
class KillSwitchRulesTest {
    private static final String T = "inet " + KillSwitchRules.TABLE;

    @Test
    void theRulesLetOnlyTheTunnelTheServersAndTheLinkItselfOut() throws Exception {
        List<KillSwitchRules.Endpoint> servers = List.of(
                new KillSwitchRules.Endpoint(InetAddress.getByName("192.0.2.1"), 1194, false),
                new KillSwitchRules.Endpoint(InetAddress.getByName("2001:db8::1"), 443, true),
                new KillSwitchRules.Endpoint(InetAddress.getByName("198.51.100.9"), 0, false));
        String script = KillSwitchRules.script("tun3", servers, false, 4242);
        String expectedChain = """
                add rule %1$s %2$s oifname "tun3" accept
                add rule %1$s %2$s ip daddr 192.0.2.1 udp dport 1194 accept
                add rule %1$s %2$s ip6 daddr 2001:db8:0:0:0:0:0:1 tcp dport 443 accept
                add rule %1$s %2$s ip daddr 198.51.100.9 accept
                add rule %1$s %2$s udp sport 68 udp dport 67 accept
                add rule %1$s %2$s udp sport 546 udp dport 547 accept
                add rule %1$s %2$s icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept
                """;
        assertEquals("add table " + T + "\n"
                + "delete table " + T + "\n"
                + "add table " + T + " { comment \"culvert kill switch, pid 4242\"; }\n"
                + "add chain " + T + " output { type filter hook output priority filter; policy accept; }\n"
                + "add rule " + T + " output oifname \"lo\" accept\n"
                + expectedChain.formatted(T, "output")
                + "add rule " + T + " output counter reject with icmpx type admin-prohibited\n"
                + "add chain " + T + " forward { type filter hook forward priority filter; policy accept; }\n"
                + expectedChain.formatted(T, "forward")
                + "add rule " + T + " forward counter drop\n", script);
        assertFalse(KillSwitchRules.script(null, servers, false, 1).contains("tun3"), "no device before the tunnel is up");
        String lan = KillSwitchRules.script(null, List.of(), true, 1);
        assertTrue(lan.indexOf("output meta l4proto { tcp, udp } th dport 53 drop\n") < lan.indexOf("output ip daddr { 10"),
                "DNS to a resolver on the local network is dropped before the local networks are let through: " + lan);
        assertTrue(lan.contains("output ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16 } accept\n"), lan);
        assertTrue(lan.contains("output ip6 daddr { fc00::/7, fe80::/10 } accept\n"), lan);
    }

    @Test
    void engagedItStaysUntilReleasedAndOnlyADeadOwnersTableIsStale() throws Exception {
        InMemoryPacketFilter filter = new InMemoryPacketFilter();
        KillSwitchRules rules = new KillSwitchRules(filter);
        List<String> said = new ArrayList<>();
        assertFalse(rules.removeStale(pid -> false, said::add), "nothing to remove");
        rules.engage(null, List.of(), false, 4242);
        rules.engage("tun0", List.of(), false, 4242); // replaced in one transaction
        assertTrue(filter.table("inet", KillSwitchRules.TABLE).contains("oifname \"tun0\" accept"));
        assertEquals(4242, rules.owner());

        assertFalse(rules.removeStale(pid -> true, said::add), "a live owner's switch is left alone");
        assertNotNull(filter.table("inet", KillSwitchRules.TABLE));
        assertTrue(rules.removeStale(pid -> pid != 4242, said::add), "a dead owner's switch is stale");
        assertNull(filter.table("inet", KillSwitchRules.TABLE));
        assertEquals(List.of("removed the kill switch left by an earlier run (process 4242); traffic flows again"), said);

        rules.engage(null, List.of(), false, ProcessHandle.current().pid());
        KillSwitchRules.HELD_HERE.incrementAndGet();
        try {
            assertFalse(rules.removeStale(pid -> true, said::add), "held by another runner of this process (culvertd)");
        } finally {
            KillSwitchRules.HELD_HERE.decrementAndGet();
        }
        assertTrue(rules.removeStale(pid -> true, said::add), "this process's own switch, held by no runner, is stale");
        rules.release(); // nothing there: no error
    }
}
