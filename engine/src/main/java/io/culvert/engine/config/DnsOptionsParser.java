package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.DnsOptions.DnsOptionException;
import io.culvert.engine.config.DnsOptions.Server;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Collects {@code dns ...} options (from a profile or a push) into {@link DnsOptions}, with OpenVPN 2.6's rules:
 * options with the same server id add to one server, later single values replace earlier ones, and every server
 * needs an address. Not thread-safe; one instance per profile or push.
 */
public final class DnsOptionsParser {
    /** OpenVPN 2.6 accepts up to eight addresses per server. */
    public static final int MAX_ADDRESSES = 8;
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})");
    private static final Pattern SNI = Pattern.compile("[A-Za-z0-9_.-]{1,253}");

    private final boolean pushed;
    private final List<String> searchDomains = new ArrayList<>();
    private final Map<Integer, Draft> servers = new TreeMap<>();

    private static final class Draft {
        final int line;
        final Set<String> addresses = new LinkedHashSet<>();
        final List<String> resolveDomains = new ArrayList<>();
        String dnssec;
        String transport;
        String sni;

        Draft(int line) {
            this.line = line;
        }
    }

    DnsOptionsParser(boolean pushed) {
        this.pushed = pushed;
    }

    /**
     * Adds one option; {@code args} are the words after {@code dns}, {@code line} locates it (0 when pushed).
     *
     * @throws DnsOptionException naming the problem, for example {@code dns server 200: invalid priority ...}
     */
    public DnsOptionsParser add(List<String> args, int line) throws DnsOptionException {
        if (args.isEmpty()) {
            throw new DnsOptionException(line, "expected 'search-domains' or 'server'");
        }
        switch (args.getFirst()) {
            case "search-domains" -> {
                if (args.size() < 2) {
                    throw new DnsOptionException(line, "search-domains needs at least one domain");
                }
                for (String d : args.subList(1, args.size())) {
                    searchDomains.add(domain(d, line, "search-domains"));
                }
            }
            case "server" -> server(args, line);
            default -> throw new DnsOptionException(line, "unknown option '" + args.getFirst()
                    + "'; expected 'search-domains' or 'server'");
        }
        return this;
    }

    private void server(List<String> args, int line) throws DnsOptionException {
        if (args.size() < 4) {
            throw new DnsOptionException(line, "expected 'server N address|resolve-domains|dnssec|transport|sni VALUE...'");
        }
        int priority = priority(args.get(1), line);
        Draft s = servers.computeIfAbsent(priority, p -> new Draft(line));
        String what = "server " + priority + " " + args.get(2);
        List<String> values = args.subList(3, args.size());
        switch (args.get(2)) {
            case "address" -> {
                for (String a : values) {
                    if (!s.addresses.add(address(a, line, what))) {
                        throw new DnsOptionException(line, what + ": duplicate address '" + a + "'");
                    }
                }
                if (s.addresses.size() > MAX_ADDRESSES) {
                    throw new DnsOptionException(line, what + ": more than " + MAX_ADDRESSES + " addresses");
                }
            }
            case "resolve-domains" -> {
                for (String d : values) {
                    s.resolveDomains.add(domain(d, line, what));
                }
            }
            case "dnssec" -> s.dnssec = single(values, line, what, List.of("yes", "optional", "no"));
            case "transport" -> s.transport = single(values, line, what, List.of("plain", "DoH", "DoT"));
            case "sni" -> {
                String name = single(values, line, what, null);
                if (!SNI.matcher(name).matches()) {
                    throw new DnsOptionException(line, what + ": malformed server name '" + name + "'");
                }
                s.sni = name;
            }
            default -> throw new DnsOptionException(line, "server " + priority + ": unknown option '" + args.get(2)
                    + "'; expected address, resolve-domains, dnssec, transport or sni");
        }
    }

    /** The options added so far. */
    public DnsOptions build() throws DnsOptionException {
        List<Server> out = new ArrayList<>();
        for (Map.Entry<Integer, Draft> e : servers.entrySet()) {
            Draft d = e.getValue();
            if (d.addresses.isEmpty()) {
                throw new DnsOptionException(d.line, "server " + e.getKey() + " does not have an address assigned");
            }
            out.add(new Server(e.getKey(), List.copyOf(d.addresses), d.resolveDomains, d.dnssec, d.transport, d.sni));
        }
        return new DnsOptions(searchDomains, out);
    }

    private int priority(String text, int line) throws DnsOptionException {
        int min = pushed ? 0 : -128;
        try {
            int p = Integer.parseInt(text);
            if (p >= min && p <= 127) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DnsOptionException(line, "server: invalid priority '" + text + "' (" + min + ".." + 127
                + (pushed ? " when pushed" : "") + ")");
    }

    private static String single(List<String> values, int line, String what, List<String> allowed) throws DnsOptionException {
        if (values.size() != 1) {
            throw new DnsOptionException(line, what + ": expected exactly one value, got " + values.size());
        }
        String v = values.getFirst();
        if (allowed != null && !allowed.contains(v)) {
            throw new DnsOptionException(line, what + ": malformed value '" + v + "' (" + String.join(", ", allowed) + ")");
        }
        return v;
    }

    private static String domain(String d, int line, String what) throws DnsOptionException {
        if (!DOMAIN.matcher(d).matches() || d.contains("..")) {
            throw new DnsOptionException(line, what + ": malformed domain '" + d + "'");
        }
        return d;
    }

    /** Checks an IPv4/IPv6 literal with optional port and returns it in the form resolvectl accepts. */
    private static String address(String a, int line, String what) throws DnsOptionException {
        String host = a;
        String port = null;
        int first = a.indexOf(':');
        int last = a.lastIndexOf(':');
        if (first >= 0 && first == last) {
            host = a.substring(0, last);
            port = a.substring(last + 1);
        } else if (a.startsWith("[")) {
            int close = a.indexOf("]:");
            if (close < 0) {
                throw malformed(a, line, what);
            }
            host = a.substring(1, close);
            port = a.substring(close + 2);
        }
        boolean v4 = Addresses.parseIpv4(host) != null;
        BigInteger v6 = v4 ? null : Addresses.parseIpv6(host);
        if (!v4 && (v6 == null || host.indexOf(':') < 0)) {
            throw malformed(a, line, what);
        }
        if (port != null && !validPort(port)) {
            throw new DnsOptionException(line, what + ": malformed port in '" + a + "' (1..65535)");
        }
        String canonical = v4 ? host : Addresses.ipv6Text(v6);
        return port == null ? canonical : v4 ? canonical + ":" + port : "[" + canonical + "]:" + port;
    }

    private static boolean validPort(String port) {
        if (!port.matches("\\d{1,5}")) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static DnsOptionException malformed(String a, int line, String what) {
        return new DnsOptionException(line, what + ": malformed address '" + a + "'");
    }
}
