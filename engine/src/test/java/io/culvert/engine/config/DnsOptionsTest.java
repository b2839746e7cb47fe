package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.DnsOptions.DnsOptionException;
import io.culvert.engine.config.DnsOptions.Server;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsOptionsTest {

    private static DnsOptions parse(boolean pushed, String... lines) throws DnsOptionException {
        DnsOptionsParser p = DnsOptions.builder(pushed);
        for (int i = 0; i < lines.length; i++) {
            p.add(List.of(lines[i].split(" ")), i + 1);
        }
        return p.build();
    }

    private static DnsOptionException error(boolean pushed, String... lines) {
        return assertThrows(DnsOptionException.class, () -> parse(pushed, lines), String.join(" / ", lines));
    }

    @Test
    void groupsServerOptionsByIdAndSortsByPriority() throws Exception {
        DnsOptions o = parse(false,
                "server 5 address 10.0.0.5",
                "search-domains corp.example lab.example",
                "server -3 address 10.0.0.1 [FD00:0::53]:5353 10.0.0.2:53",
                "server -3 resolve-domains corp.example",
                "server 5 dnssec optional",
                "server 5 transport DoT",
                "server 5 sni dns.example",
                "search-domains more.example");
        assertEquals(List.of("corp.example", "lab.example", "more.example"), o.searchDomains());
        assertEquals(List.of(
                new Server(-3, List.of("10.0.0.1", "[fd00::53]:5353", "10.0.0.2:53"), List.of("corp.example"), null, null, null),
                new Server(5, List.of("10.0.0.5"), List.of(), "optional", "DoT", "dns.example")), o.servers());
        assertEquals(-3, o.primary().orElseThrow().priority());
        assertEquals(List.of("dns server 5 dnssec optional", "dns server 5 transport DoT", "dns server 5 sni dns.example"),
                o.servers().get(1).unapplied());
        assertEquals(List.of(), o.servers().get(0).unapplied());
    }

    @Test
    void laterSingleValuesReplaceEarlierOnesAndPlainTransportIsApplied() throws Exception {
        DnsOptions o = parse(false, "server 0 address ::1", "server 0 transport DoH", "server 0 transport plain");
        assertEquals("plain", o.servers().getFirst().transport());
        assertEquals(List.of(), o.servers().getFirst().unapplied());
        assertEquals(List.of("::1"), o.servers().getFirst().addresses());
    }

    @Test
    void pushedServersReplaceProfileServersOfTheSamePriorityAndKeepTheOthers() throws Exception {
        DnsOptions profile = parse(false, "server -1 address 192.0.2.1", "server 0 address 192.0.2.2",
                "server 0 resolve-domains old.example", "search-domains home.example");
        DnsOptions pushed = parse(true, "server 0 address 10.8.0.1", "server 7 address 10.8.0.7",
                "search-domains vpn.example");
        DnsOptions merged = profile.mergedWith(pushed);
        assertEquals(List.of(-1, 0, 7), merged.servers().stream().map(Server::priority).toList());
        assertEquals(new Server(0, List.of("10.8.0.1"), List.of(), null, null, null), merged.servers().get(1),
                "the pushed server replaces the whole profile server 0, resolve-domains included");
        assertEquals(List.of("home.example", "vpn.example"), merged.searchDomains(), "pushed search domains are appended");
        assertEquals("192.0.2.1", merged.primary().orElseThrow().addresses().getFirst(), "lowest id wins, even from the profile");
        assertEquals(pushed, DnsOptions.EMPTY.mergedWith(pushed));
        assertTrue(DnsOptions.EMPTY.isEmpty());
    }

    @Test
    void reportsPreciseProblems() {
        assertEquals("server: invalid priority '128' (-128..127)", error(false, "server 128 address 10.0.0.1").getMessage());
        assertEquals("server: invalid priority '-1' (0..127 when pushed)", error(true, "server -1 address 10.0.0.1").getMessage());
        assertEquals("server: invalid priority 'x' (-128..127)", error(false, "server x address 10.0.0.1").getMessage());
        assertEquals("server 0 address: malformed address '10.0.0.256'", error(false, "server 0 address 10.0.0.256").getMessage());
        assertEquals("server 0 address: malformed address 'dns.example'", error(false, "server 0 address dns.example").getMessage());
        assertEquals("server 0 address: malformed address '[fd00::1]'", error(false, "server 0 address [fd00::1]").getMessage());
        assertEquals("server 0 address: malformed port in '10.0.0.1:0' (1..65535)",
                error(false, "server 0 address 10.0.0.1:0").getMessage());
        assertEquals("server 0 address: duplicate address '10.0.0.1'",
                error(false, "server 0 address 10.0.0.1", "server 0 address 10.0.0.1").getMessage());
        assertEquals("server 1 address: more than 8 addresses", error(false,
                "server 1 address 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7 10.0.0.8 10.0.0.9").getMessage());
        assertEquals("server 0 dnssec: malformed value 'maybe' (yes, optional, no)",
                error(false, "server 0 dnssec maybe").getMessage());
        assertEquals("server 0 transport: malformed value 'doh' (plain, DoH, DoT)",
                error(false, "server 0 transport doh").getMessage());
        assertEquals("server 0 sni: expected exactly one value, got 2", error(false, "server 0 sni a.example b.example").getMessage());
        assertEquals("server 0: unknown option 'exclude'; expected address, resolve-domains, dnssec, transport or sni",
                error(false, "server 0 exclude a.example").getMessage());
        assertEquals("unknown option 'servers'; expected 'search-domains' or 'server'", error(false, "servers 0 address 1.2.3.4").getMessage());
        assertEquals("search-domains: malformed domain '-bad.example'", error(false, "search-domains -bad.example").getMessage());
        assertEquals("server 0 resolve-domains: malformed domain 'a..b'", error(false, "server 0 resolve-domains a..b").getMessage());
    }

    @Test
    void aServerWithoutAnAddressIsRejectedAtTheLineThatOpenedIt() {
        DnsOptionException e = error(false, "search-domains x.example", "server 3 dnssec yes", "server 3 sni s.example");
        assertEquals("server 3 does not have an address assigned", e.getMessage());
        assertEquals(2, e.line());
    }
}
