package io.culvert.engine.serveradmin;

import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ClientNetwork} as a client-config-dir file for a server and reads it back. Stateless and
 * thread-safe.
 */
final class CcdText {
    private CcdText() {}

    /**
     * The ccd file text. With net30 a static address must be the first host of a /30 ({@code .1}, {@code .5} …);
     * its peer is the next address.
     *
     * @throws IllegalArgumentException when the address does not fit the server's network
     */
    static String render(ServerSpec spec, ClientNetwork n) {
        StringBuilder sb = new StringBuilder();
        if (n.staticAddress() != null) {
            int a = ipv4(n.staticAddress());
            int net = ipv4(spec.network());
            int mask = ipv4(spec.netmask());
            if ((a & mask) != net || a == net || a == (net | ~mask) || a == net + 1) {
                throw new IllegalArgumentException(n.staticAddress() + " is not a client address in " + spec.network() + "/"
                        + ServerSpec.prefixLength(spec.netmask()) + " (the first address belongs to the server)");
            }
            boolean net30 = spec.device() == ServerSpec.Device.TUN && spec.topology() == ServerSpec.Topology.NET30;
            if (net30 && (a & 3) != 1) {
                throw new IllegalArgumentException("with topology net30 a static address must end in .1, .5, .9 … of its /30");
            }
            sb.append("ifconfig-push ").append(n.staticAddress()).append(' ')
                    .append(net30 ? text(a + 1) : spec.netmask()).append('\n');
        }
        for (String r : n.iroutes()) {
            sb.append("iroute ").append(network(r)).append('\n');
        }
        for (String r : n.pushedRoutes()) {
            sb.append("push \"route ").append(network(r)).append("\"\n");
        }
        return sb.toString();
    }

    static ClientNetwork parse(String ccdText) throws OvpnParseException {
        String address = null;
        List<String> iroutes = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        for (Directive d : OvpnFile.parse(ccdText).directives()) {
            switch (d.name()) {
                case "ifconfig-push" -> address = d.arg(0);
                case "iroute" -> iroutes.add(cidr(d.arg(0), d.argCount() > 1 ? d.arg(1) : "255.255.255.255"));
                case "push" -> {
                    String[] words = d.arg(0).trim().split("\\s+");
                    if (words.length >= 2 && words[0].equals("route")) {
                        pushed.add(cidr(words[1], words.length > 2 ? words[2] : "255.255.255.255"));
                    }
                }
                default -> { }
            }
        }
        return new ClientNetwork(address, iroutes, pushed);
    }

    private static String network(String cidr) {
        int slash = cidr.indexOf('/');
        return cidr.substring(0, slash) + " " + ServerSpec.netmaskOf(Integer.parseInt(cidr.substring(slash + 1)));
    }

    private static String cidr(String network, String netmask) {
        return network + "/" + ServerSpec.prefixLength(netmask);
    }

    static int ipv4(String s) {
        int v = 0;
        for (String p : s.split("\\.")) {
            v = v << 8 | Integer.parseInt(p);
        }
        return v;
    }

    static String text(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
