package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Gateway mode ({@code culvert-gateway OUT-IF|auto [ipv4|ipv6|both] [RESOLVER ...]}, a Culvert directive): the server
 * forwards its clients' traffic and masquerades it out of {@code outbound}, and pushes {@code redirect-gateway def1}
 * and the resolvers. Stock OpenVPN has no such directive; written as {@code setenv opt culvert-gateway ...} it skips
 * the line and keeps the rest. Instances are immutable.
 *
 * @param outbound the interface the clients' traffic leaves by, or null for the one of the default route at start
 * @param ipv4 whether IPv4 traffic is forwarded and masqueraded
 * @param ipv6 whether IPv6 traffic is (NAT66: the pool is masqueraded like IPv4)
 * @param resolvers DNS servers pushed to clients; empty: the server's own (its resolv.conf) at start
 * @param sourceV4 the clients' IPv4 addresses as nftables matches them ({@code 10.8.0.0/24} or a range), or null
 * @param sourceV6 the clients' IPv6 network ({@code 2001:db8::/64}), or null
 * @param line the directive's line
 */
public record Gateway(String outbound, boolean ipv4, boolean ipv6, List<String> resolvers, String sourceV4,
        String sourceV6, int line) {

    /** The directive's name. */
    public static final String DIRECTIVE = "culvert-gateway";
    /** A Linux interface name: at most 15 bytes (IFNAMSIZ - 1), no blank, '/', ':' or quote. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@+-]{1,15}");

    public Gateway {
        resolvers = List.copyOf(resolvers);
    }

    /** What gateway mode adds to every client's PUSH_REPLY: the redirect, then the named resolvers. */
    public List<String> pushes() {
        List<String> out = new ArrayList<>();
        out.add(ipv4 && ipv6 ? "redirect-gateway def1 ipv6" : ipv6 ? "redirect-gateway ipv6 !ipv4" : "redirect-gateway def1");
        out.addAll(dnsPushes(resolvers));
        return out;
    }

    /** {@code dhcp-option DNS} (IPv4) or {@code DNS6} (IPv6) for each resolver. */
    public static List<String> dnsPushes(List<String> resolvers) {
        List<String> out = new ArrayList<>();
        for (String r : resolvers) {
            out.add("dhcp-option " + (r.contains(":") ? "DNS6 " : "DNS ") + r);
        }
        return out;
    }

    /** The parts of the directive as written; the source networks come from the server's addressing. */
    record Written(String outbound, boolean ipv4, boolean ipv6, List<String> resolvers, Directive directive) {}

    /** Reads one {@code culvert-gateway} line; errors name the line and the argument. */
    static Written read(Directive d) throws OvpnParseException {
        String out = interfaceOrAuto(d, d.arg(0));
        int next = 1;
        boolean v4 = true;
        boolean v6 = false;
        if (d.args().size() > 1 && List.of("ipv4", "ipv6", "both").contains(d.arg(1).toLowerCase(Locale.ROOT))) {
            String family = d.arg(1).toLowerCase(Locale.ROOT);
            v4 = !family.equals("ipv6");
            v6 = !family.equals("ipv4");
            next = 2;
        }
        List<String> resolvers = new ArrayList<>();
        for (int i = next; i < d.args().size(); i++) {
            String r = d.arg(i);
            if (Addresses.parseIpv4(r) == null && (!r.contains(":") || Addresses.parseIpv6(r) == null)) {
                throw ArgValues.invalid(d, "'" + r + "' is neither ipv4, ipv6 nor both, nor a resolver's IP address");
            }
            resolvers.add(r);
        }
        return new Written(out, v4, v6, resolvers, d);
    }

    /** An interface name, or null for {@code auto}; anything else is INVALID_VALUE naming the line. */
    static String interfaceOrAuto(Directive d, String out) throws OvpnParseException {
        if (out.equals("auto")) {
            return null;
        }
        if (!INTERFACE.matcher(out).matches() || out.equals(".") || out.equals("..")) {
            throw ArgValues.invalid(d, "'" + out + "' is not an interface name (1 to 15 letters, digits or . _ - @ +)"
                    + " nor 'auto'");
        }
        return out;
    }
}
