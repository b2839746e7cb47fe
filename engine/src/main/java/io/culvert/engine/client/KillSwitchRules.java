package io.culvert.engine.client;

import io.culvert.engine.sys.PacketFilter;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's kill switch ({@code culvert-kill-switch}) as rules in its own nftables table, {@code inet
 * culvert_killswitch}: an output and a forward chain that refuse everything but loopback, the tunnel's device, the
 * link to the server (each remote's addresses, port and protocol; a proxy's address instead where one is used), DHCP
 * and IPv6 neighbour discovery (so the physical link keeps its address), and with {@code allow-lan} the local networks
 * except their DNS resolvers (queries go through the tunnel, never to the local network).
 * A packet must pass every table's chain at a hook, so no other table's rules can let traffic around it, and it
 * touches no other table. The table's comment names the process that put it there: a table whose process is gone was
 * left by a crash ({@code kill -9}) and stays — failing closed — until the next start removes it.
 */
public final class KillSwitchRules {
    /** The table's name, family {@code inet}. */
    public static final String TABLE = "culvert_killswitch";
    private static final Pattern PID = Pattern.compile("culvert kill switch, pid (\\d+)");
    private static final List<String> LAN_V4 = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");
    private static final List<String> LAN_V6 = List.of("fc00::/7", "fe80::/10");

    /** Where the client may send outside the tunnel: an address and a port ({@code port} 0: any) over UDP or TCP. */
    public record Endpoint(InetAddress address, int port, boolean tcp) {}

    /** Runners of this process holding a switch now (culvertd runs several profiles): its own table is not stale then. */
    static final java.util.concurrent.atomic.AtomicInteger HELD_HERE = new java.util.concurrent.atomic.AtomicInteger();
    private final PacketFilter filter;

    public KillSwitchRules(PacketFilter filter) {
        this.filter = filter;
    }

    /**
     * The nft script that puts the switch in place, replacing any earlier one in the same transaction (no moment
     * without it).
     *
     * @param device the tunnel's device while it is up, or null
     */
    static String script(String device, List<Endpoint> servers, boolean allowLan, long pid) {
        List<String> allow = new ArrayList<>();
        allow.add("oifname \"lo\" accept");
        if (device != null) {
            allow.add("oifname \"" + device + "\" accept");
        }
        for (Endpoint e : servers) {
            String family = e.address() instanceof Inet6Address ? "ip6" : "ip";
            String to = family + " daddr " + e.address().getHostAddress();
            allow.add(e.port() == 0 ? to + " accept" : to + " " + (e.tcp() ? "tcp" : "udp") + " dport " + e.port() + " accept");
        }
        allow.add("udp sport 68 udp dport 67 accept");
        allow.add("udp sport 546 udp dport 547 accept");
        allow.add("icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept");
        if (allowLan) {
            // DNS goes through the tunnel (its own rule above), never to a resolver on the local network
            allow.add("meta l4proto { tcp, udp } th dport 53 drop");
            allow.add("ip daddr { " + String.join(", ", LAN_V4) + " } accept");
            allow.add("ip6 daddr { " + String.join(", ", LAN_V6) + " } accept");
            allow.add("ip6 daddr ff02::/16 accept");
        }
        String t = "inet " + TABLE;
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(t).append('\n');
        s.append("delete table ").append(t).append('\n');
        s.append("add table ").append(t).append(" { comment \"culvert kill switch, pid ").append(pid).append("\"; }\n");
        for (String hook : List.of("output", "forward")) {
            s.append("add chain ").append(t).append(' ').append(hook).append(" { type filter hook ").append(hook)
                    .append(" priority filter; policy accept; }\n");
            for (String a : allow) {
                if (!(hook.equals("forward") && a.startsWith("oifname \"lo\""))) {
                    s.append("add rule ").append(t).append(' ').append(hook).append(' ').append(a).append('\n');
                }
            }
            s.append("add rule ").append(t).append(' ').append(hook).append(" counter ")
                    .append(hook.equals("output") ? "reject with icmpx type admin-prohibited" : "drop").append('\n');
        }
        return s.toString();
    }

    /** Puts the switch in place, or replaces it (the device came or went); one transaction. */
    public void engage(String device, List<Endpoint> servers, boolean allowLan, long pid) throws IOException {
        filter.apply(script(device, servers, allowLan, pid));
    }

    /** Takes the switch away (a clean disconnect); nothing when there is none. */
    public void release() throws IOException {
        if (filter.table("inet", TABLE) != null) {
            filter.apply("delete table inet " + TABLE + "\n");
        }
    }

    /** The process that put the switch in place, or -1 when there is none (or its comment is not ours). */
    long owner() throws IOException {
        String listing = filter.table("inet", TABLE);
        if (listing == null) {
            return -1;
        }
        Matcher m = PID.matcher(listing);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Removes a switch whose process is gone (left by a crash); one of a live process (another profile connected) is
     * left alone. {@code log} hears what was done.
     *
     * @return true when a stale switch was removed
     */
    public boolean removeStale(LongPredicate alive, Consumer<String> log) throws IOException {
        long pid = owner();
        boolean self = pid == ProcessHandle.current().pid();
        if (pid < 0 || (self && HELD_HERE.get() > 0) || (pid > 0 && !self && alive.test(pid))) {
            return false;
        }
        release();
        log.accept("removed the kill switch left by an earlier run" + (pid > 0 ? " (process " + pid + ")" : "")
                + "; traffic flows again");
        return true;
    }

    /**
     * {@link #removeStale} on this host's nftables: what was done, a reason nothing could be checked, or null when
     * there was nothing to do.
     */
    public static String removeStaleOnHost() {
        String[] said = new String[1];
        try {
            new KillSwitchRules(new io.culvert.engine.sys.LinuxPacketFilter()).removeStale(KillSwitchRules::alive,
                    msg -> said[0] = msg);
        } catch (IOException | RuntimeException e) {
            return "no stale kill switch checked: " + e.getMessage();
        }
        return said[0];
    }

    /** Whether process {@code pid} is running. */
    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
