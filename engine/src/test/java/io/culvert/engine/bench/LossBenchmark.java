package io.culvert.engine.bench;

import io.culvert.engine.it.Iperf3;
import io.culvert.engine.it.LinkFaults;
import io.culvert.engine.it.Netns;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.Scenario;
import io.culvert.engine.it.TunnelPair;
import io.culvert.engine.it.Pairing;
import io.culvert.engine.it.TwoHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP throughput through the tunnel (iperf3, client→server) with random frame loss on the veth in both directions,
 * for the four pairings of Culvert and stock openvpn 2.6, alternating the pairings round by round (A B C D A B C D)
 * so that machine load hits them alike; prints one row per loss rate with each pairing's median and its ratio to
 * openvpn↔openvpn in the same run, and Culvert's per-reason drop counters. Run by {@code engine/bench/loss-bench.sh}.
 * Single-threaded.
 */
public final class LossBenchmark {
    private static final int PORT = 1194;
    private static final Pattern CLIENT_DROPS = Pattern.compile("Traffic: .*dropped (\\{.*})");
    private static final Pattern SERVER_DROPS = Pattern.compile("Server totals: .*drops=(\\{[^}]*})");

    private LossBenchmark() { }

    public static void main(String[] args) throws IOException {
        List<Integer> losses = List.of(0, 5, 10, 15);
        int seconds = 10;
        int rounds = 2;
        String proto = "udp";
        Path culvert = OpenvpnProcess.repoRoot().resolve("culvert");
        List<Pairing> pairings = List.of(Pairing.values());
        LinkFaults.Wire wire = LinkFaults.Wire.PER_DATAGRAM;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--loss" -> losses = java.util.Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--proto" -> proto = value;
                case "--culvert" -> culvert = Path.of(value).toAbsolutePath();
                case "--pairings" -> pairings = java.util.Arrays.stream(value.split(",")).map(String::strip)
                        .map(v -> Pairing.valueOf(v.toUpperCase(Locale.ROOT))).toList();
                case "--wire" -> wire = LinkFaults.Wire.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        List<String> missing = NetnsCondition.missing("iperf3", "nft");
        if (!missing.isEmpty()) {
            usage("cannot run: " + String.join("; ", missing));
        }
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM.withProto(proto);
        Path dir = Files.createTempDirectory("cvt-loss-bench-");
        System.out.println("scenario " + scenario + ", iperf3 TCP client→server " + seconds + " s, " + rounds
                + " rounds alternating, loss " + wire + ", culvert " + culvert + ", logs in " + dir);
        Map<Integer, Map<Pairing, List<Double>>> results = new java.util.LinkedHashMap<>();
        try (TwoHosts hosts = TwoHosts.create("l", scenario, dir, PORT)) {
            for (int loss : losses) {
                Map<Pairing, List<Double>> row = new EnumMap<>(Pairing.class);
                results.put(loss, row);
                for (int round = 0; round < rounds; round++) {
                    for (Pairing p : pairings) {
                        String tag = "loss" + loss + "-r" + round + "-" + p.name().toLowerCase(Locale.ROOT);
                        double mbit = Double.NaN;
                        LinkFaults.loss(hosts.srv(), hosts.cli(), hosts.link(), 0); // handshake on a clean link: measure the data path
                        try (TunnelPair pair = TunnelPair.start(p, culvert, hosts.srv(), hosts.cli(), hosts.serverConf(), hosts.clientConf(), dir, tag)) {
                            LinkFaults.loss(hosts.srv(), hosts.cli(), hosts.link(), loss, wire);
                            Map<String, Long> srvBefore = snmp(hosts.srv());
                            Map<String, Long> cliBefore = snmp(hosts.cli());
                            mbit = Iperf3.run(hosts.srv(), hosts.cli(), dir, seconds, false).receivedMbit();
                            String kernel = "  server " + delta(srvBefore, snmp(hosts.srv())) + dropped(hosts.srv())
                                    + "  client " + delta(cliBefore, snmp(hosts.cli())) + dropped(hosts.cli());
                            LinkFaults.loss(hosts.srv(), hosts.cli(), hosts.link(), 0);
                            pair.close();
                            System.out.printf(Locale.ROOT, "loss %2d %% round %d %-30s %8.1f Mbit/s%s%s%n", loss, round + 1, p.label(),
                                    mbit, drops(pair), kernel);
                        } catch (RuntimeException | AssertionError e) {
                            System.out.printf(Locale.ROOT, "loss %2d %% round %d %-30s FAILED: %s%n", loss, round + 1, p.label(),
                                    e.getMessage());
                        }
                        row.computeIfAbsent(p, k -> new ArrayList<>()).add(mbit);
                    }
                }
            }
        }
        printTable(results, pairings);
    }

    /** The namespace's UDP and TCP counters from /proc/net/snmp, keyed "Udp.RcvbufErrors" and so on. */
    private static Map<String, Long> snmp(Netns ns) {
        List<String> lines = ns.exec(java.time.Duration.ofSeconds(5), "cat", "/proc/net/snmp").output().lines().toList();
        Map<String, Long> out = new java.util.HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split("\\s+");
            String[] values = lines.get(i + 1).split("\\s+");
            for (int k = 1; k < Math.min(names.length, values.length); k++) {
                try {
                    out.put(names[0].replace(":", "") + "." + names[k], Long.parseLong(values[k]));
                } catch (NumberFormatException e) {
                    // a header pair out of step: skip it
                }
            }
        }
        return out;
    }

    /** Kernel drops that tell why a pairing slows down under loss: UDP buffer overruns and the inner TCP's retransmits. */
    private static String delta(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder s = new StringBuilder("{");
        for (String key : List.of("Udp.InDatagrams", "Udp.RcvbufErrors", "Udp.SndbufErrors", "Tcp.OutSegs", "Tcp.RetransSegs")) {
            s.append(s.length() > 1 ? " " : "").append(key.substring(key.indexOf('.') + 1)).append('=')
                    .append(after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L));
        }
        return s.append('}').toString();
    }

    /** What the loss rule on the namespace's veth end dropped (packets as it saw them, bytes per drop) and the trains it saw. */
    private static String dropped(Netns ns) {
        LinkFaults.Dropped d = LinkFaults.dropped(ns);
        return String.format(Locale.ROOT, " lossRule{dropped=%d bytes/drop=%d trains=%d}", d.packets(),
                d.packets() == 0 ? 0 : d.bytes() / d.packets(), d.trains());
    }

    private static String drops(TunnelPair pair) {
        StringBuilder s = new StringBuilder();
        Matcher c = CLIENT_DROPS.matcher(pair.client().log());
        String last = null;
        while (c.find()) {
            last = c.group(1);
        }
        if (last != null) {
            s.append("  client drops ").append(last);
        }
        Matcher m = SERVER_DROPS.matcher(pair.server().log());
        if (m.find()) {
            s.append("  server drops ").append(m.group(1));
        }
        long reconnects = pair.client().log().lines().filter(l -> l.contains("Initialization Sequence Completed")).count() - 1;
        if (reconnects > 0) {
            s.append("  RECONNECTS ").append(reconnects);
        }
        return s.toString();
    }

    private static void printTable(Map<Integer, Map<Pairing, List<Double>>> results, List<Pairing> pairings) {
        System.out.println();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-7s", "loss %"));
        for (Pairing p : pairings) {
            head.append(String.format(Locale.ROOT, " | %-30s", p.label() + " Mbit/s (×stock)"));
        }
        System.out.println(head);
        results.forEach((loss, row) -> {
            double stock = median(row.get(Pairing.STOCK_STOCK));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-7d", loss));
            for (Pairing p : pairings) {
                double m = median(row.get(p));
                line.append(String.format(Locale.ROOT, " | %-30s", String.format(Locale.ROOT, "%.1f (%.2f)", m, m / stock)));
            }
            System.out.println(line);
        });
    }

    /** Median of the measured values; NaN when none succeeded. */
    static double median(List<Double> values) {
        List<Double> ok = values == null ? List.of() : values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        if (ok.isEmpty()) {
            return Double.NaN;
        }
        int n = ok.size();
        return n % 2 == 1 ? ok.get(n / 2) : (ok.get(n / 2 - 1) + ok.get(n / 2)) / 2;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: loss-bench.sh [--loss 0,5,10,15] [--seconds N] [--rounds N] [--proto udp|tcp] [--culvert LAUNCHER]"
                + " [--pairings culvert_culvert,culvert_stock,stock_culvert,stock_stock] [--wire per-datagram|per-train]");
        System.exit(2);
    }
}
