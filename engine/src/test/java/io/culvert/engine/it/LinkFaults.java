package io.culvert.engine.it;

import java.time.Duration;
import java.util.Locale;

/**
 * Network faults made with nftables inside a test namespace (this kernel has no netem): random loss on a veth's
 * ingress, and local send failures in the output chain. Each rule lives in its own table in the namespace, so it
 * disappears with the namespace; {@link #clear} removes it earlier. Stateless.
 */
public final class LinkFaults {
    private static final String LOSS_TABLE = "cvtloss";
    private static final String SEND_TABLE = "cvtsendfail";

    private LinkFaults() { }

    /**
     * Drops {@code percent} % of the IP and IPv6 packets arriving on {@code dev} in {@code ns}, at random (0 removes the
     * rule); ARP passes, so neighbours stay resolved as on a real lossy link.
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
                    meta protocol { ip, ip6 } numgen random mod 100 < %d counter drop
                  }
                }
                """, LOSS_TABLE, dev, percent);
        nft(ns, rules);
    }

    /** Loss in both directions of {@code link}: {@code percent} % of the frames into either end are dropped. */
    public static void loss(Netns a, Netns b, VethLink link, int percent) {
        ingressLoss(a, link.nameA(), percent);
        ingressLoss(b, link.nameB(), percent);
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
