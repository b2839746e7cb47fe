package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Gateway;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import io.culvert.engine.sys.InMemoryPacketFilter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway mode's nftables rules (the exact script) and their life: added, replaced when stale, removed. */
class NatGatewayTest {
    private static final Gateway V4 = new Gateway("eth0", true, false, List.of(), "10.8.0.0/24", null, 12);
    private static final Gateway BOTH = new Gateway("wan0", true, true, List.of(), "10.8.0.0/24", "2001:db8:1::/64", 3);

    @Test
    void theRulesetIsOneChainInCulvertsOwnTableFlushedThenFilled() {
        assertEquals("""
                add table inet culvert
                add chain inet culvert gw-udp-1194 { type nat hook postrouting priority srcnat; policy accept; }
                flush chain inet culvert gw-udp-1194
                add rule inet culvert gw-udp-1194 ip saddr 10.8.0.0/24 oifname "eth0" masquerade comment "culvert-gateway line 12"
                """, NatGateway.ruleset("gw-udp-1194", V4, "eth0", null));
        assertEquals("""
                add table inet culvert { comment "forwarding before culvert: ipv4=0 ipv6=-"; }
                add table inet culvert
                add chain inet culvert gw-tcp-443 { type nat hook postrouting priority srcnat; policy accept; }
                flush chain inet culvert gw-tcp-443
                add rule inet culvert gw-tcp-443 ip saddr 10.8.0.0/24 oifname "wan0" masquerade comment "culvert-gateway line 3"
                add rule inet culvert gw-tcp-443 ip6 saddr 2001:db8:1::/64 oifname "wan0" masquerade comment "culvert-gateway line 3"
                """, NatGateway.ruleset("gw-tcp-443", BOTH, "wan0", "forwarding before culvert: ipv4=0 ipv6=-"));
    }

    @Test
    void theChainIsNamedAfterTheServersSocket() {
        assertEquals("gw-udp-1194", NatGateway.chainName(new ServerPlan.Socket(new InetSocketAddress(1194), false)));
        assertEquals("gw-tcp-443", NatGateway.chainName(new ServerPlan.Socket(new InetSocketAddress(443), true)));
    }

    @Test
    void startTurnsForwardingOnAndCloseRemovesTheTableAndRestoresIt() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        NatGateway gw = NatGateway.start(f, "gw-udp-1194", BOTH, "wan0");
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD));
        assertEquals("1", f.sysctl(NatGateway.IPV6_FORWARD));
        assertTrue(f.table("inet", "culvert").contains("ip6 saddr 2001:db8:1::/64 oifname \"wan0\" masquerade"));
        gw.close();
        assertNull(f.table("inet", "culvert"));
        assertEquals("0", f.sysctl(NatGateway.IPV4_FORWARD));
        assertEquals("0", f.sysctl(NatGateway.IPV6_FORWARD));
        gw.close();
        assertEquals(3, f.scripts().size(), "a second close changes nothing");
    }

    @Test
    void forwardingThatWasOnBeforeStaysOn() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        f.sysctl(NatGateway.IPV4_FORWARD, "1");
        NatGateway.start(f, "gw-udp-1194", V4, "eth0").close();
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD));
    }

    @Test
    void underCulvertdForwardingTheAdminTurnedOnIsNotWrittenAndOffIsAClearError() throws IOException {
        // culvertd has CAP_NET_ADMIN but cannot write /proc/sys (security-model.md): a host the admin set up as a
        // router runs the gateway; one that is not says what to set, and leaves no rules behind.
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        f.sysctl(NatGateway.IPV4_FORWARD, "1");
        f.sysctlsReadOnly(true);
        NatGateway gw = NatGateway.start(f, "gw-udp-1194", V4, "eth0");
        assertTrue(f.table("inet", "culvert").contains("masquerade"));
        gw.close();
        assertNull(f.table("inet", "culvert"));
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD));

        f.sysctlsReadOnly(false);
        f.sysctl(NatGateway.IPV4_FORWARD, "0");
        f.sysctlsReadOnly(true);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> NatGateway.start(f, "gw-udp-1194", V4, "eth0"));
        assertEquals("net.ipv4.ip_forward is off and could not be turned on (/proc/sys/net/ipv4/ip_forward: Permission"
                + " denied); gateway mode and NAT routes need it: set net.ipv4.ip_forward=1 in /etc/sysctl.d/ (culvertd"
                + " does not write /proc/sys)", e.getMessage());
        assertNull(f.table("inet", "culvert"), "no rules left behind");
    }

    @Test
    void aStaleChainIsReplacedNotDoubled() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        NatGateway.start(f, "gw-udp-1194", V4, "old0"); // a run that crashed: never closed
        NatGateway gw = NatGateway.start(f, "gw-udp-1194", V4, "eth0");
        String table = f.table("inet", "culvert");
        assertEquals(1, table.split("masquerade", -1).length - 1, table);
        assertTrue(table.contains("oifname \"eth0\""), table);
        gw.close();
        assertNull(f.table("inet", "culvert"));
    }

    @Test
    void anotherServersChainKeepsTheTableAndForwarding() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        NatGateway first = NatGateway.start(f, "gw-udp-1194", V4, "eth0");
        NatGateway second = NatGateway.start(f, "gw-tcp-443", V4, "eth0");
        first.close();
        String table = f.table("inet", "culvert");
        assertTrue(table.contains("chain gw-tcp-443 {") && !table.contains("gw-udp-1194"), table);
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD), "the other server still forwards");
        second.close();
        assertNull(f.table("inet", "culvert"));
        assertEquals("0", f.sysctl(NatGateway.IPV4_FORWARD), "as before the first server, from the table's comment");
    }

    @Test
    void aCrashedRunsTableStillKnowsTheForwardingBeforeIt() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        NatGateway.start(f, "gw-udp-1194", V4, "eth0"); // crashed: never closed, forwarding left on
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD));
        NatGateway.start(f, "gw-udp-1194", V4, "eth0").close();
        assertNull(f.table("inet", "culvert"));
        assertEquals("0", f.sysctl(NatGateway.IPV4_FORWARD));
        assertTrue(f.scripts().getFirst().startsWith(
                "add table inet culvert { comment \"forwarding before culvert: ipv4=0 ipv6=0\"; }\n"), f.scripts().getFirst());
        assertTrue(f.scripts().get(1).startsWith("add table inet culvert\n"), "the second start keeps the comment");
    }

    @Test
    void refusedRulesChangeNothing() {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        assertThrows(IOException.class, () -> f.apply("add table inet culvert\nflush chain inet culvert missing\n"));
        assertNull(f.table("inet", "culvert"));
    }

    @Test
    void withoutANamedResolverTheServersOwnArePushed(@TempDir Path tmp) throws Exception {
        Path dir = Path.of(NatGatewayTest.class.getResource("/ovpn/server/server.conf").toURI()).getParent();
        String base = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\nserver 10.8.0.0 255.255.255.0\n";
        Path resolvConf = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 127.0.0.53\nnameserver 192.0.2.53\n");
        ServerConfig own = ServerConfig.from(OvpnFile.parse(base + "culvert-gateway eth0\n"), dir, false);
        assertEquals(List.of("route 10.8.0.1", "topology net30", "redirect-gateway def1", "dhcp-option DNS 192.0.2.53"),
                ServerPlans.withServerResolvers(own, resolvConf).routing().pushes());
        ServerConfig named = ServerConfig.from(OvpnFile.parse(base + "culvert-gateway eth0 ipv4 9.9.9.9\n"), dir, false);
        assertEquals(named, ServerPlans.withServerResolvers(named, resolvConf), "a named resolver is all that is pushed");
        ServerConfig off = ServerConfig.from(OvpnFile.parse(base), dir, false);
        assertEquals(off, ServerPlans.withServerResolvers(off, resolvConf), "no gateway, no DNS pushed");
    }

    @Test
    void onlyResolversClientsCanReachArePushedAsTheServersOwn() {
        assertEquals(List.of("192.0.2.53", "2001:db8::53"), NatGateway.reachableResolvers(
                "# comment\nnameserver 127.0.0.53\nnameserver 192.0.2.53\noptions edns0\nnameserver 2001:db8::53\n"
                        + "nameserver ::1\nnameserver fe80::1%eth0\n"));
        assertEquals(List.of(), NatGateway.reachableResolvers("nameserver 127.0.0.53\n"));
    }

    private static final NatGateway.Reach LAN = new NatGateway.Reach(
            new io.culvert.engine.config.NatRoute("192.168.50.0", 24, null, true, "10.8.0.0/24", 20), "lan0");
    private static final NatGateway.Reach ROUTED = new NatGateway.Reach(
            new io.culvert.engine.config.NatRoute("172.16.0.0", 12, "lan1", false, "10.8.0.0/24", 21), "lan1");

    /** Issue 13: NAT routes come first, so a routed network's accept keeps it out of the gateway's masquerade. */
    @Test
    void natRoutesGoBeforeTheGatewayAndARoutedOneIsAnAccept() {
        assertEquals("""
                add table inet culvert
                add chain inet culvert gw-udp-1194 { type nat hook postrouting priority srcnat; policy accept; }
                flush chain inet culvert gw-udp-1194
                add rule inet culvert gw-udp-1194 ip saddr 10.8.0.0/24 ip daddr 192.168.50.0/24 oifname "lan0" masquerade comment "culvert-nat-route line 20"
                add rule inet culvert gw-udp-1194 ip saddr 10.8.0.0/24 ip daddr 172.16.0.0/12 oifname "lan1" accept comment "culvert-nat-route line 21"
                add rule inet culvert gw-udp-1194 ip saddr 10.8.0.0/24 oifname "eth0" masquerade comment "culvert-gateway line 12"
                """, NatGateway.ruleset("gw-udp-1194", V4, "eth0", List.of(LAN, ROUTED), null));
    }

    @Test
    void natRoutesAloneTurnIpv4ForwardingOnAndOffAndAreListedWhileTheyRun() throws IOException {
        InMemoryPacketFilter f = new InMemoryPacketFilter();
        f.sysctl(NatGateway.IPV4_FORWARD, "0");
        f.sysctl(NatGateway.IPV6_FORWARD, "0");
        NatGateway.start(f, "gw-udp-1194", null, null, List.of(LAN)); // crashed: never closed
        NatGateway gw = NatGateway.start(f, "gw-udp-1194", null, null, List.of(LAN, ROUTED));
        assertEquals("1", f.sysctl(NatGateway.IPV4_FORWARD));
        assertEquals("0", f.sysctl(NatGateway.IPV6_FORWARD));
        List<String> rules = gw.activeRules();
        assertEquals(2, rules.size(), rules.toString());
        assertTrue(rules.getFirst().contains("ip daddr 192.168.50.0/24 oifname \"lan0\" masquerade"), rules.toString());
        assertTrue(rules.get(1).contains("accept"), rules.toString());
        gw.close();
        assertNull(f.table("inet", "culvert"));
        assertEquals("0", f.sysctl(NatGateway.IPV4_FORWARD));
        assertEquals(List.of(), gw.activeRules());
    }
}
