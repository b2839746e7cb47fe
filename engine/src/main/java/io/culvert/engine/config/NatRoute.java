package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.Locale;

/**
 * "Let clients reach this network" ({@code culvert-nat-route NETWORK/PREFIX [OUT-IF|auto] [nat|routed]}, a Culvert
 * directive): the server pushes {@code route NETWORK MASK} and forwards the clients' traffic to the network; with
 * {@code nat} (the default) it masquerades it out of {@code outbound}, so hosts there answer the server's address; with
 * {@code routed} the admin routes the client pool back to the server. Stock OpenVPN skips it written as
 * {@code setenv opt culvert-nat-route ...}. IPv4 only. Instances are immutable.
 *
 * @param network the network's address, e.g. {@code 192.168.50.0}
 * @param bits its prefix length
 * @param outbound the interface to the network, or null for the one the server's route to it leaves by at start
 * @param nat true to masquerade, false to forward only
 * @param source the clients' IPv4 addresses as nftables matches them ({@code 10.8.0.0/24} or a range)
 * @param line the directive's line
 */
public record NatRoute(String network, int bits, String outbound, boolean nat, String source, int line) {

    /** The directive's name. */
    public static final String DIRECTIVE = "culvert-nat-route";

    /** {@code NETWORK/PREFIX} as written in nftables and the directive. */
    public String cidr() {
        return network + "/" + bits;
    }

    /** What it adds to every client's PUSH_REPLY. */
    public String push() {
        return "route " + network + " " + Addresses.ipv4Text(Addresses.prefixMask(bits));
    }

    /** The parts of the directive as written; the source comes from the server's addressing. */
    record Written(String network, int bits, String outbound, boolean nat, Directive directive) {}

    /** Reads one {@code culvert-nat-route} line; errors name the line and the argument. */
    static Written read(Directive d) throws OvpnParseException {
        String cidr = d.arg(0);
        int slash = cidr.indexOf('/');
        Integer address = slash < 0 ? null : Addresses.parseIpv4(cidr.substring(0, slash));
        int bits = -1;
        if (address != null && cidr.substring(slash + 1).matches("[0-9]{1,2}")) {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        }
        if (address == null || bits < 1 || bits > 32) {
            throw ArgValues.invalid(d, "'" + cidr + "' is not an IPv4 network like 192.168.50.0/24");
        }
        if ((address & ~Addresses.prefixMask(bits)) != 0) {
            throw ArgValues.invalid(d, "'" + cidr + "' has host bits set; the network is "
                    + Addresses.ipv4Text(address & Addresses.prefixMask(bits)) + "/" + bits);
        }
        String outbound = null;
        boolean nat = true;
        for (int i = 1; i < d.args().size(); i++) {
            String a = d.arg(i);
            String lower = a.toLowerCase(Locale.ROOT);
            if (i == d.args().size() - 1 && (lower.equals("nat") || lower.equals("routed"))) {
                nat = lower.equals("nat");
            } else if (i == 1) {
                outbound = Gateway.interfaceOrAuto(d, a);
            } else {
                throw ArgValues.invalid(d, "'" + a + "' is neither nat nor routed");
            }
        }
        return new Written(Addresses.ipv4Text(address), bits, outbound, nat, d);
    }
}
