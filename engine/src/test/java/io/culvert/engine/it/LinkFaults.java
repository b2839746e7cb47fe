package io.culvert.engine.it;

import java.time.Duration;
import java.util.Locale;

/**
 * Network faults made with nftables inside a test namespace (this kernel has no netem): random loss on a veth's
 * ingress, per datagram as on a wire (see {@link Wire}), and local send failures in the output chain. Each rule lives in its own table in the namespace, so it
 * disappears with the namespace; {@link #clear} removes it earlier. Stateless.
 */
public final class LinkFaults {
    private static final String LOSS_TABLE = "cvtloss";
    private static final String SEND_TABLE = "cvtsendfail";
    /** A veth's default MTU, which {@link Netns#link} keeps: a longer packet on it is a train. */
    private static final int VETH_MTU = 1500;

    private LinkFaults() { }

    /**
     * Drops {@code percent} % of the IP and IPv6 packets arriving on {@code dev} in {@code ns}, at random (0 removes the
     * rule); ARP passes, so neighbours stay resolved as on a real lossy link. A counter in front of the rule counts
     * the packets longer than the veth's MTU, that is trains, that reach it ({@link #dropped}).
     */
    public static void ingressLoss(Netns ns, String dev, int percent) {
        clear(ns, "netdev", LOSS_TABLE);
        if (percent <= 0) {
            return;
        }
        String rules = String.format(Locale.ROOT, """
                table netdev %s {
                  chain in {
                    type filter hook ingress device "%s" priority 0; policy accept;
                    meta length > %d counter
                    meta protocol { ip, ip6 } numgen random mod 100 < %d counter drop
                  }
                }
                """, LOSS_TABLE, dev, VETH_MTU, percent);
        nft(ns, rules);
    }

    /** Loss in both directions of {@code link}: {@code percent} % of the frames into either end are dropped. */
    public static void loss(Netns a, Netns b, VethLink link, int percent) {
        loss(a, b, link, percent, Wire.PER_DATAGRAM);
    }

    /** Like {@link #loss(Netns, Netns, VethLink, int)}, with the loss judging what {@code wire} says. */
    public static void loss(Netns a, Netns b, VethLink link, int percent, Wire wire) {
        String segs = wire == Wire.PER_DATAGRAM ? "1" : "65535";
        Duration t = Duration.ofSeconds(10);
        a.exec(t, "ip", "link", "set", "dev", link.nameA(), "gso_max_segs", segs).orThrow("gso_max_segs on " + link.nameA());
        b.exec(t, "ip", "link", "set", "dev", link.nameB(), "gso_max_segs", segs).orThrow("gso_max_segs on " + link.nameB());
        ingressLoss(a, link.nameA(), percent);
        ingressLoss(b, link.nameB(), percent);
    }

    /**
     * What one random drop on a veth takes away. A veth hands a UDP GSO train to its peer as one packet, so the ingress
     * rule judges the whole train; a real wire never carries one (the NIC, or the kernel before a NIC without UDP
     * segmentation, cuts it into datagrams), so tests drop per datagram (ADR 0039).
     */
    public enum Wire {
        /** One datagram, as on a real wire: each veth end segments a train before it sends it ({@code gso_max_segs 1}). */
        PER_DATAGRAM,
        /** A whole train at once, the veth's default; only to reproduce figures taken that way. */
        PER_TRAIN
    }

    /**
     * What the loss rule in {@code ns} saw so far.
     *
     * @param packets packets it dropped, as the rule saw them (a train counts once)
     * @param bytes their bytes, without the Ethernet header
     * @param trains packets longer than the veth's MTU that reached it: UDP GSO trains, none when it drops per datagram
     */
    public record Dropped(long packets, long bytes, long trains) { }

    /** The counters of the {@link #ingressLoss} rule in {@code ns}; zero when there is none. */
    public static Dropped dropped(Netns ns) {
        String out = ns.exec(Duration.ofSeconds(10), "nft", "list", "table", "netdev", LOSS_TABLE).output();
        java.util.regex.Matcher over = java.util.regex.Pattern.compile("meta length > \\d+ counter packets (\\d+)").matcher(out);
        java.util.regex.Matcher drop = java.util.regex.Pattern.compile("counter packets (\\d+) bytes (\\d+) drop").matcher(out);
        long trains = over.find() ? Long.parseLong(over.group(1)) : 0;
        return drop.find() ? new Dropped(Long.parseLong(drop.group(1)), Long.parseLong(drop.group(2)), trains) : new Dropped(0, 0, trains);
    }

    /**
     * Makes {@code percent} % of the UDP datagrams that {@code ns} sends to {@code dst} fail locally: {@code drop} in
     * the output chain makes {@code sendto} return EPERM, as a host firewall does.
     */
    public static void failUdpSends(Netns ns, String dst, int percent) {
        clear(ns, "inet", SEND_TABLE);
        String rules = String.format(Locale.ROOT, """
                table inet %s {
                  chain out {
                    type filter hook output priority 0; policy accept;
                    ip daddr %s meta l4proto udp numgen random mod 100 < %d counter drop
                  }
                }
                """, SEND_TABLE, dst, percent);
        nft(ns, rules);
    }

    /** Packets the {@link #failUdpSends} rule in {@code ns} refused so far. */
    public static long failedSends(Netns ns) {
        String out = ns.exec(Duration.ofSeconds(10), "nft", "list", "table", "inet", SEND_TABLE).output();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Removes every fault this class put into {@code ns}; ignores what is not there. */
    public static void clearAll(Netns ns) {
        clear(ns, "netdev", LOSS_TABLE);
        clear(ns, "inet", SEND_TABLE);
    }

    /** Removes the table {@code family name} from {@code ns} if it is there. */
    public static void clear(Netns ns, String family, String name) {
        ns.exec(Duration.ofSeconds(10), "nft", "delete", "table", family, name);
    }

    private static void nft(Netns ns, String rules) {
        ns.exec(Duration.ofSeconds(10), "sh", "-c", "nft -f - <<'NFT'\n" + rules + "NFT\n").orThrow("nft in " + ns.name());
    }
}
