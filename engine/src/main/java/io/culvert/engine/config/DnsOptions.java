package io.culvert.engine.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The OpenVPN 2.6 {@code --dns} settings of a profile or of a push: search domains and DNS servers keyed by
 * priority (lower numbers first). Build one with {@link #builder(boolean)}. Instances are immutable.
 *
 * @param searchDomains {@code dns search-domains}, in order
 * @param servers the servers, sorted by ascending priority, each with at least one address
 */
public record DnsOptions(List<String> searchDomains, List<Server> servers) {
    /** No {@code --dns} options at all. */
    public static final DnsOptions EMPTY = new DnsOptions(List.of(), List.of());

    public DnsOptions {
        searchDomains = List.copyOf(searchDomains);
        servers = servers.stream().sorted(Comparator.comparingInt(Server::priority)).toList();
    }

    /** A builder for a profile ({@code pushed == false}, priorities -128..127) or a push (0..127). */
    public static DnsOptionsParser builder(boolean pushed) {
        return new DnsOptionsParser(pushed);
    }

    public boolean isEmpty() {
        return searchDomains.isEmpty() && servers.isEmpty();
    }

    /** The server OpenVPN applies: the one with the lowest priority number. */
    public Optional<Server> primary() {
        return servers.isEmpty() ? Optional.empty() : Optional.of(servers.getFirst());
    }

    /**
     * These (profile) options with {@code pushed} on top, as OpenVPN merges them after a pull: pushed servers
     * replace profile servers of the same priority, the others are kept, and pushed search domains are appended.
     */
    public DnsOptions mergedWith(DnsOptions pushed) {
        Map<Integer, Server> byPriority = new TreeMap<>();
        servers.forEach(s -> byPriority.put(s.priority(), s));
        pushed.servers.forEach(s -> byPriority.put(s.priority(), s));
        List<String> domains = new ArrayList<>(searchDomains);
        domains.addAll(pushed.searchDomains);
        return new DnsOptions(domains, List.copyOf(byPriority.values()));
    }

    /**
     * One {@code dns server N ...} group.
     *
     * @param priority the server id N; lower comes first
     * @param addresses IP literals, each optionally with a port ({@code 10.8.0.1:53}, {@code [fd00::1]:53})
     * @param resolveDomains split-DNS domains this server answers for; empty = all names
     * @param dnssec {@code yes}, {@code optional} or {@code no}; null when not set
     * @param transport {@code plain}, {@code DoH} or {@code DoT}; null when not set
     * @param sni TLS server name for DoH/DoT; null when not set
     */
    public record Server(int priority, List<String> addresses, List<String> resolveDomains, String dnssec,
            String transport, String sni) {
        public Server {
            addresses = List.copyOf(addresses);
            resolveDomains = List.copyOf(resolveDomains);
        }

        /** The settings of this server that Culvert accepts but does not apply, as directive text. */
        public List<String> unapplied() {
            List<String> out = new ArrayList<>();
            String prefix = "dns server " + priority + " ";
            if (dnssec != null) {
                out.add(prefix + "dnssec " + dnssec);
            }
            if (transport != null && !transport.equals("plain")) {
                out.add(prefix + "transport " + transport);
            }
            if (sni != null) {
                out.add(prefix + "sni " + sni);
            }
            return out;
        }
    }

    /** A {@code dns} option that cannot be used; {@link #line()} is 0 for pushed options. */
    public static final class DnsOptionException extends Exception {
        private final int line;

        public DnsOptionException(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }
}
