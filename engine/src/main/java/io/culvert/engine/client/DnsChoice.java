package io.culvert.engine.client;

import io.culvert.engine.config.DnsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which DNS servers and domains a tunnel gets, decided as OpenVPN 2.6 does: profile and pushed {@code --dns}
 * options are merged (pushed servers replace profile servers of the same priority, pushed search domains are
 * appended), only the lowest-priority server is used, and {@code --dns} wins over {@code dhcp-option DNS}
 * (servers) and {@code DOMAIN} (search domains) where it says something. Instances are immutable.
 *
 * @param servers server addresses for the resolver, optionally with {@code :port}
 * @param domains search domains, then routing-only domains written {@code ~domain} (from resolve-domains)
 * @param defaultRoute whether the link should resolve every name, not only its own domains
 * @param unapplied settings accepted but not applied (dnssec, DoH/DoT transport, sni), for the log
 * @param fromDnsOption whether the servers came from {@code --dns} rather than {@code dhcp-option}
 */
record DnsChoice(List<String> servers, List<String> domains, boolean defaultRoute, List<String> unapplied,
        boolean fromDnsOption) {

    DnsChoice {
        servers = List.copyOf(servers);
        domains = List.copyOf(domains);
        unapplied = List.copyOf(unapplied);
    }

    static DnsChoice choose(ProfileNetwork local, PushedConfig pushed) {
        DnsOptions merged = local.dns().mergedWith(pushed.dnsOptions());
        Optional<DnsOptions.Server> primary = merged.primary();
        List<String> domains = new ArrayList<>();
        if (!merged.searchDomains().isEmpty()) {
            domains.addAll(merged.searchDomains());
        } else {
            domains.addAll(local.dhcpDomains());
            domains.addAll(pushed.domains());
        }
        boolean redirect = local.redirectGateway(pushed.redirectGateway()) != null;
        if (primary.isEmpty()) {
            List<String> servers = new ArrayList<>(local.dhcpDns());
            servers.addAll(pushed.dns());
            return new DnsChoice(servers, domains, redirect, List.of(), false);
        }
        DnsOptions.Server s = primary.get();
        for (String d : s.resolveDomains()) {
            domains.add("~" + d);
        }
        // Without resolve-domains the server answers every name; with them it is split DNS.
        return new DnsChoice(s.addresses(), domains, s.resolveDomains().isEmpty(), s.unapplied(), true);
    }
}
