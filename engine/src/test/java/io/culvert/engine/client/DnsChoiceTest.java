package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.DnsOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pushed {@code dns} options and how they combine with the profile and with dhcp-option. */
class DnsChoiceTest {

    private static PushedConfig push(String... options) throws PushedConfig.BadPushException {
        return PushedConfig.from(Arrays.stream(options).map(o -> List.of(o.split(" "))).toList());
    }

    private static ProfileNetwork profile(List<String> dhcpDns, List<String> dhcpDomains, String... dnsLines) throws Exception {
        var p = DnsOptions.builder(false);
        for (String line : dnsLines) {
            p.add(List.of(line.split(" ")), 1);
        }
        return new ProfileNetwork(0, List.of(), List.of(), p.build(), dhcpDns, dhcpDomains);
    }

    @Test
    void pushedDnsIsParsed() throws Exception {
        PushedConfig c = push("dns server 0 address 10.8.0.1 fd00::1", "dns search-domains vpn.example", "dns server 0 dnssec yes");
        assertEquals(List.of("vpn.example"), c.dnsOptions().searchDomains());
        assertEquals(List.of("10.8.0.1", "fd00::1"), c.dnsOptions().servers().getFirst().addresses());
        assertEquals("yes", c.dnsOptions().servers().getFirst().dnssec());
        assertTrue(c.ignored().isEmpty(), c.ignored().toString());
        assertTrue(push("ping 10").dnsOptions().isEmpty());
    }

    @Test
    void badPushedDnsIsRejectedWithTheOptionAndTheProblem() {
        var e = assertThrows(PushedConfig.BadPushException.class, () -> push("dns server -5 address 10.8.0.1"));
        assertEquals("pushed option 'dns server -5 address 10.8.0.1': server: invalid priority '-5' (0..127 when pushed)",
                e.getMessage());
        var noAddress = assertThrows(PushedConfig.BadPushException.class, () -> push("dns server 2 resolve-domains a.example"));
        assertEquals("pushed dns options: server 2 does not have an address assigned", noAddress.getMessage());
    }

    @Test
    void dnsWinsOverDhcpOptionForServersAndSearchDomains() throws Exception {
        DnsChoice c = DnsChoice.choose(profile(List.of("192.0.2.53"), List.of("home.example")),
                push("dhcp-option DNS 10.8.0.99", "dhcp-option DOMAIN old.example", "dns server 0 address 10.8.0.1",
                        "dns search-domains vpn.example"));
        assertEquals(List.of("10.8.0.1"), c.servers());
        assertEquals(List.of("vpn.example"), c.domains());
        assertTrue(c.fromDnsOption());
        assertTrue(c.defaultRoute(), "a --dns server without resolve-domains answers every name");
    }

    @Test
    void dhcpOptionsAreUsedWhenDnsSaysNothing() throws Exception {
        DnsChoice c = DnsChoice.choose(profile(List.of("192.0.2.53"), List.of("home.example")),
                push("dhcp-option DNS 10.8.0.99", "dhcp-option DOMAIN vpn.example"));
        assertEquals(List.of("192.0.2.53", "10.8.0.99"), c.servers());
        assertEquals(List.of("home.example", "vpn.example"), c.domains());
        assertFalse(c.fromDnsOption());
        assertFalse(c.defaultRoute(), "dhcp-option keeps the old rule: every name only with redirect-gateway");
        assertTrue(DnsChoice.choose(ProfileNetwork.NONE, push("dhcp-option DNS 10.8.0.99", "redirect-gateway def1")).defaultRoute());
    }

    @Test
    void dnsSearchDomainsAloneKeepDhcpServers() throws Exception {
        DnsChoice c = DnsChoice.choose(ProfileNetwork.NONE, push("dhcp-option DNS 10.8.0.99", "dhcp-option DOMAIN old.example",
                "dns search-domains vpn.example"));
        assertEquals(List.of("10.8.0.99"), c.servers());
        assertEquals(List.of("vpn.example"), c.domains());
    }

    @Test
    void lowestPriorityServerOfTheMergeIsUsedWithItsSplitDomains() throws Exception {
        ProfileNetwork local = profile(List.of(), List.of(), "server 0 address 192.0.2.1", "server 3 address 192.0.2.3",
                "search-domains home.example");
        DnsChoice pushedReplacesSameId = DnsChoice.choose(local, push("dns server 0 address 10.8.0.1",
                "dns server 0 resolve-domains corp.example", "dns server 0 transport DoT", "dns search-domains vpn.example"));
        assertEquals(List.of("10.8.0.1"), pushedReplacesSameId.servers());
        assertEquals(List.of("home.example", "vpn.example", "~corp.example"), pushedReplacesSameId.domains());
        assertFalse(pushedReplacesSameId.defaultRoute(), "resolve-domains make it split DNS");
        assertEquals(List.of("dns server 0 transport DoT"), pushedReplacesSameId.unapplied());

        DnsChoice profileKeepsLowerId = DnsChoice.choose(local, push("dns server 1 address 10.8.0.1"));
        assertEquals(List.of("192.0.2.1"), profileKeepsLowerId.servers());
    }
}
