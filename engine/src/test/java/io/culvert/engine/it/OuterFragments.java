package io.culvert.engine.it;

import java.time.Duration;
import java.util.List;

/**
 * A namespace's IP fragmentation counters, IPv4 ({@code /proc/net/snmp}: {@code Ip: FragCreates, ReasmReqds}) and IPv6
 * ({@code /proc/net/snmp6}: {@code Ip6FragCreates, Ip6ReasmReqds}), as {@code nstat -az} shows them; immutable.
 * With a VPN between two namespaces the only IP traffic on the veth is the tunnel's outer packets, so growth here is
 * outer fragmentation.
 *
 * @param created fragments this namespace's stack made (IPv4 + IPv6)
 * @param reassembled fragments it received and had to reassemble (IPv4 + IPv6)
 */
public record OuterFragments(long created, long reassembled) {

    /** Reads the counters of {@code ns}. */
    public static OuterFragments read(Netns ns) {
        Duration t = Duration.ofSeconds(10);
        List<String> ip = ns.exec(t, "cat", "/proc/net/snmp").orThrow("/proc/net/snmp in " + ns).output().lines()
                .filter(l -> l.startsWith("Ip: ")).toList();
        List<String> names = List.of(ip.get(0).split("\\s+"));
        String[] values = ip.get(1).split("\\s+");
        long created = Long.parseLong(values[names.indexOf("FragCreates")]);
        long reassembled = Long.parseLong(values[names.indexOf("ReasmReqds")]);
        for (String line : ns.exec(t, "cat", "/proc/net/snmp6").orThrow("/proc/net/snmp6 in " + ns).output().split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals("Ip6FragCreates")) {
                created += Long.parseLong(kv[1]);
            } else if (kv.length == 2 && kv[0].equals("Ip6ReasmReqds")) {
                reassembled += Long.parseLong(kv[1]);
            }
        }
        return new OuterFragments(created, reassembled);
    }

    /** The sum of both namespaces' counters. */
    public static OuterFragments read(Netns a, Netns b) {
        return read(a).plus(read(b));
    }

    public OuterFragments plus(OuterFragments o) {
        return new OuterFragments(created + o.created, reassembled + o.reassembled);
    }

    /** Counter growth from {@code before} to this. */
    public OuterFragments minus(OuterFragments before) {
        return new OuterFragments(created - before.created, reassembled - before.reassembled);
    }

    /** Fragments created plus fragments reassembled. */
    public long total() {
        return created + reassembled;
    }

    @Override
    public String toString() {
        return created + " created, " + reassembled + " reassembled";
    }
}
