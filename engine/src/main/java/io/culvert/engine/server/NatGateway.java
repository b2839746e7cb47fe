package io.culvert.engine.server;

import io.culvert.engine.config.Gateway;
import io.culvert.engine.config.NatRoute;
import io.culvert.engine.sys.PacketFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway mode while a server runs: one chain of masquerade rules in Culvert's own nftables table
 * ({@code inet culvert}, nobody else's rules are touched) and IP forwarding on. {@link #start} replaces a chain a
 * crashed run left behind; {@link #close} deletes the chain, the table once no server has a chain in it, and then
 * puts forwarding back as it found it. Not thread-safe: the server thread starts and closes it.
 */
final class NatGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatGateway.class);
    static final String FAMILY = "inet";
    static final String TABLE = "culvert";
    static final String IPV4_FORWARD = "net/ipv4/ip_forward";
    static final String IPV6_FORWARD = "net/ipv6/conf/all/forwarding";
    private static final Pattern CHAIN = Pattern.compile("(?m)^\\s*chain\\s");
    /** The start of the table's comment: the forwarding switches before the first Culvert gateway turned them on. */
    static final String BEFORE = "forwarding before culvert:";
    private static final Pattern BEFORE_VALUES = Pattern.compile(BEFORE + " ipv4=([0-9-]) ipv6=([0-9-])");

    private final PacketFilter filter;
    private final String chain;
    private final String rules;
    private volatile boolean closed;

    private NatGateway(PacketFilter filter, String chain, String rules) {
        this.filter = filter;
        this.chain = chain;
        this.rules = rules;
    }

    /** The chain of the server whose first socket is {@code first}: its port is the server's name on this host. */
    static String chainName(ServerPlan.Socket first) {
        return "gw-" + (first.tcp() ? "tcp" : "udp") + "-" + first.bind().getPort();
    }

    /** A {@code culvert-nat-route} with the interface its traffic leaves by, {@code auto} resolved. */
    record Reach(NatRoute route, String outbound) {}

    /**
     * The {@code nft -f} script that puts {@code g}'s rules into {@code chain}, replacing whatever the chain held: the
     * table and chain are added if missing (an existing one is kept, so other servers' chains stay), then flushed. A
     * new table carries {@code before} as its comment (null: none), the forwarding switches as Culvert found them.
     */
    static String ruleset(String chain, Gateway g, String outbound, String before) {
        return ruleset(chain, g, outbound, List.of(), before);
    }

    /**
     * The script for gateway mode ({@code g} out of {@code outbound}; null: off) and the NAT routes. The routes come
     * first: a {@code routed} one is an {@code accept} that keeps its traffic out of the gateway's masquerade.
     */
    static String ruleset(String chain, Gateway g, String outbound, List<Reach> reaches, String before) {
        String t = FAMILY + " " + TABLE;
        StringBuilder s = new StringBuilder();
        if (before != null) {
            s.append("add table ").append(t).append(" { comment \"").append(before).append("\"; }\n");
        }
        s.append("add table ").append(t).append('\n')
                .append("add chain ").append(t).append(' ').append(chain)
                .append(" { type nat hook postrouting priority srcnat; policy accept; }\n")
                .append("flush chain ").append(t).append(' ').append(chain).append('\n');
        for (Reach r : reaches) {
            NatRoute n = r.route();
            s.append("add rule ").append(t).append(' ').append(chain).append(" ip saddr ").append(n.source())
                    .append(" ip daddr ").append(n.cidr()).append(" oifname \"").append(r.outbound()).append("\" ")
                    .append(n.nat() ? "masquerade" : "accept")
                    .append(" comment \"culvert-nat-route line ").append(n.line()).append("\"\n");
        }
        if (g != null) {
            String why = " comment \"culvert-gateway line " + g.line() + "\"";
            if (g.ipv4()) {
                s.append("add rule ").append(t).append(' ').append(chain).append(" ip saddr ").append(g.sourceV4())
                        .append(" oifname \"").append(outbound).append("\" masquerade").append(why).append('\n');
            }
            if (g.ipv6()) {
                s.append("add rule ").append(t).append(' ').append(chain).append(" ip6 saddr ").append(g.sourceV6())
                        .append(" oifname \"").append(outbound).append("\" masquerade").append(why).append('\n');
            }
        }
        return s.toString();
    }

    /** Gateway mode alone; see {@link #start(PacketFilter, String, Gateway, String, List)}. */
    static NatGateway start(PacketFilter filter, String chain, Gateway g, String outbound) throws IOException {
        return start(filter, chain, g, outbound, List.of());
    }

    /**
     * Installs the rules of gateway mode ({@code g} out of {@code outbound}, or null) and of the NAT routes for
     * {@code chain} and turns forwarding on. The first server to add Culvert's table writes the forwarding switches as
     * it found them into the table's comment; the last one to leave restores them from there, so a crashed run or a
     * second server does not lose the admin's setting.
     */
    static NatGateway start(PacketFilter filter, String chain, Gateway g, String outbound, List<Reach> reaches)
            throws IOException {
        String table = filter.table(FAMILY, TABLE);
        String before = null;
        if (table == null) {
            before = BEFORE + " ipv4=" + current(filter, IPV4_FORWARD) + " ipv6=" + current(filter, IPV6_FORWARD);
        } else if (table.contains("chain " + chain + " {")) {
            LOG.warn("Replacing the gateway rules a previous run left in nftables table {} {} chain {}", FAMILY, TABLE,
                    chain);
        }
        NatGateway gw = new NatGateway(filter, chain, ruleset(chain, g, outbound, reaches, before));
        filter.apply(gw.rules);
        try {
            if (g != null && g.ipv4() || !reaches.isEmpty()) {
                forwardingOn(filter, IPV4_FORWARD, "net.ipv4.ip_forward");
            }
            if (g != null && g.ipv6()) {
                forwardingOn(filter, IPV6_FORWARD, "net.ipv6.conf.all.forwarding");
            }
        } catch (IOException e) {
            gw.close();
            throw e;
        }
        LOG.info("{}; nftables rules:\n{}", g != null ? "Gateway: clients' traffic is forwarded and masqueraded out of "
                + outbound : "Clients' traffic to the NAT routes' networks is forwarded", gw.rules.strip());
        return gw;
    }

    /**
     * The rules of this server's chain as nftables lists them now (Culvert's own table, read back, not remembered),
     * one per line; empty once they are gone.
     */
    List<String> activeRules() throws IOException {
        String table = closed ? null : filter.table(FAMILY, TABLE);
        if (table == null) {
            return List.of();
        }
        int at = table.indexOf("chain " + chain + " {");
        if (at < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : table.substring(table.indexOf('\n', at) + 1).split("\n")) {
            String l = line.strip();
            if (l.equals("}")) {
                break;
            }
            if (!l.isEmpty() && !l.startsWith("type ")) {
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Turns a forwarding switch on unless it is on already (an admin's {@code /etc/sysctl.d} setting): culvertd runs
     * with CAP_NET_ADMIN but not root's file rights, so it cannot write {@code /proc/sys}, and a host set up as a
     * router must not need it to. When it is off and cannot be turned on, the error says what to set.
     */
    private static void forwardingOn(PacketFilter filter, String key, String name) throws IOException {
        if (current(filter, key).equals("1")) {
            return;
        }
        try {
            filter.sysctl(key, "1");
        } catch (IOException e) {
            throw new IOException(name + " is off and could not be turned on (" + e.getMessage() + "); gateway mode and"
                    + " NAT routes need it: set " + name + "=1 in /etc/sysctl.d/ (culvertd does not write /proc/sys)", e);
        }
    }

    /** A forwarding switch's value, or {@code -} when this host has none (IPv6 turned off). */
    private static String current(PacketFilter filter, String key) {
        try {
            String v = filter.sysctl(key);
            return v.matches("[0-9]") ? v : "-";
        } catch (IOException e) {
            return "-";
        }
    }

    /**
     * The {@code nameserver} addresses of a resolv.conf text that a client can reach through the tunnel: loopback
     * ones (a local stub resolver) are left out, at most three as the resolver itself reads.
     */
    static java.util.List<String> reachableResolvers(String resolvConf) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length >= 2 && w[0].equals("nameserver") && out.size() < 3) {
                String a = w[1];
                boolean loopback = a.startsWith("127.") || a.equals("::1") || a.contains("%");
                if (!loopback && (a.matches("[0-9.]+") || a.matches("[0-9A-Fa-f:.]+") && a.contains(":"))) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The script that installed the rules, as shown to the admin. */
    String rules() {
        return rules;
    }

    /**
     * Deletes the chain, and the table when it holds no other server's chain; only then is forwarding put back as the
     * table's comment says it was (another server in gateway mode still needs it otherwise). Errors are logged.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            String table = filter.table(FAMILY, TABLE);
            if (table != null && table.contains("chain " + chain + " {")) {
                filter.apply("delete chain " + FAMILY + " " + TABLE + " " + chain + "\n");
                table = filter.table(FAMILY, TABLE);
            }
            if (table == null) {
                return;
            }
            if (CHAIN.matcher(table).find()) {
                LOG.info("Gateway rules of chain {} removed; other servers' chains stay in table {} {}", chain, FAMILY,
                        TABLE);
                return;
            }
            filter.apply("delete table " + FAMILY + " " + TABLE + "\n");
            Matcher m = BEFORE_VALUES.matcher(table);
            boolean known = m.find();
            if (known) {
                restore(IPV4_FORWARD, m.group(1));
                restore(IPV6_FORWARD, m.group(2));
            }
            LOG.info("Gateway rules removed (nftables table {} {} deleted){}", FAMILY, TABLE,
                    !known ? "" : "; forwarding as it was before: ipv4=" + m.group(1) + " ipv6=" + m.group(2));
        } catch (IOException e) {
            LOG.warn("Removing the gateway rules (nftables table {} {} chain {}) failed: {}", FAMILY, TABLE, chain,
                    e.getMessage());
        }
    }

    private void restore(String key, String value) throws IOException {
        if (!value.equals("-") && !filter.sysctl(key).equals(value)) {
            filter.sysctl(key, value);
        }
    }
}
