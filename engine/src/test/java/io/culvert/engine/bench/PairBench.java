package io.culvert.engine.bench;

import io.culvert.engine.it.Netns;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.Pairing;
import io.culvert.engine.it.Scenario;
import io.culvert.engine.it.StockOpenvpn;
import io.culvert.engine.it.TwoHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pair benchmark: Culvert and stock openvpn at both ends of a tunnel between two namespaces over a veth, every
 * pairing (openvpn↔openvpn, Culvert↔Culvert, Culvert client↔openvpn server, openvpn client↔Culvert server, and
 * openvpn 2.7↔2.7 when {@code CULVERT_OPENVPN_27} names a binary) for UDP AES-256-GCM, UDP CHACHA20-POLY1305 and TCP
 * AES-256-GCM, default MTU settings and tls-crypt, alternating the pairings within each round (A B C D A B C D …) so
 * that machine load hits them alike. Each cell measures every {@link Metric} ({@link PairCell}); the summary gives the
 * median over rounds and its ratio to openvpn↔openvpn in the same run. Run by {@code engine/bench/pair-bench.sh}.
 * Single-threaded.
 */
public final class PairBench {
    private static final int PORT = 1194;

    /** What runs at one end. */
    enum Impl { CULVERT, OPENVPN26, OPENVPN27 }

    /** One pairing, client↔server. */
    record Ends(String label, Impl client, Impl server) {

        static Ends of(Pairing p) {
            String label = p == Pairing.STOCK_STOCK ? "openvpn↔openvpn" : p.label().replace("stock", "openvpn");
            return new Ends(label, p.culvertClient() ? Impl.CULVERT : Impl.OPENVPN26,
                    p.culvertServer() ? Impl.CULVERT : Impl.OPENVPN26);
        }
    }

    /** One transport/cipher combination, with default MTU settings and tls-crypt. */
    record Variant(String name, Scenario scenario) { }

    /** Everything a cell reports; {@code higherIsBetter} decides how the ratio reads, {@code ratio} whether it is printed. */
    enum Metric {
        UP("throughput client→server", "Mbit/s", true, true),
        DOWN("throughput server→client (-R)", "Mbit/s", true, true),
        CPU_CLIENT("CPU per MB moved, client", "ms/MB", false, true),
        CPU_SERVER("CPU per MB moved, server", "ms/MB", false, true),
        FRAGMENTS("outer IP fragments, both ns", "count", false, false),
        RTT10_P50("RTT idle, 10 ms interval, p50", "ms", false, true),
        RTT10_P99("RTT idle, 10 ms interval, p99", "ms", false, true),
        RTT200_P50("RTT idle, 200 ms interval, p50", "ms", false, true),
        RTT200_P99("RTT idle, 200 ms interval, p99", "ms", false, true),
        LOAD_P50("RTT under iperf3 load, p50", "ms", false, true),
        LOAD_P99("RTT under iperf3 load, p99", "ms", false, true),
        HANDSHAKE_CPU("server CPU per handshake", "ms", false, true),
        CONNECT("client start → tunnel up", "ms", false, true),
        ALLOC_CLIENT("JFR allocation per MB, client", "B/MB", false, false),
        ALLOC_SERVER("JFR allocation per MB, server", "B/MB", false, false);

        final String label;
        final String unit;
        final boolean higherIsBetter;
        final boolean ratio;

        Metric(String label, String unit, boolean higherIsBetter, boolean ratio) {
            this.label = label;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
            this.ratio = ratio;
        }
    }

    /** The run's settings; immutable. {@code culvert} is the launcher (a wrapper that sets the offload switch and JFR). */
    record Options(int rounds, int seconds, int pings10, int pings200, int warmup, int handshakes, boolean offloadOff,
            boolean jfr, int topSites, Path culvert, Path openvpn27, Path jfrDir, Path jfrTool, List<Variant> variants) {

        /** Starts {@code impl} as server or client in {@code ns} with {@code conf}; the log is {@code dir/<tag>.log}. */
        OpenvpnProcess start(Impl impl, boolean server, Netns ns, Path conf, Path dir, String tag) {
            Path log = dir.resolve(tag + ".log");
            return switch (impl) {
                case CULVERT -> OpenvpnProcess.command(ns, dir, log, culvert.toString(), server ? "server" : "client", "--config",
                        conf.toString());
                case OPENVPN26 -> OpenvpnProcess.command(ns, dir, log, NetnsCondition.OPENVPN.toString(), "--cd", dir.toString(),
                        "--config", conf.toString());
                case OPENVPN27 -> OpenvpnProcess.command(ns, dir, log, openvpn27.toString(), "--cd", dir.toString(), "--config",
                        conf.toString());
            };
        }
    }

    private PairBench() { }

    public static void main(String[] args) throws IOException {
        int rounds = 3;
        int seconds = 10;
        int pings10 = 300;
        int pings200 = 25;
        int warmup = 3;
        int handshakes = 6;
        boolean offloadOff = false;
        boolean jfr = false;
        List<String> variantNames = List.of("udp-gcm", "udp-chacha", "tcp-gcm");
        Path launcher = OpenvpnProcess.repoRoot().resolve("culvert");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> {
                    rounds = 1;
                    seconds = 3;
                    pings10 = 100;
                    pings200 = 10;
                    warmup = 1;
                    handshakes = 2;
                    continue;
                }
                case "--jfr" -> {
                    jfr = true;
                    continue;
                }
                default -> { }
            }
            String value = i + 1 < args.length ? args[++i] : null;
            if (value == null) {
                usage(a + " needs a value");
            }
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--handshakes" -> handshakes = Integer.parseInt(value);
                case "--variants" -> variantNames = List.of(value.split(","));
                case "--offload" -> offloadOff = switch (value) {
                    case "off" -> true;
                    case "on" -> false;
                    default -> throw usage("--offload on|off");
                };
                case "--culvert" -> launcher = Path.of(value).toAbsolutePath();
                default -> usage("unknown option " + a);
            }
        }
        List<String> missing = NetnsCondition.missing("iperf3", "ping");
        if (!missing.isEmpty()) {
            usage("cannot run: " + String.join("; ", missing));
        }
        String v27 = System.getenv(StockOpenvpn.OPENVPN_27_VARIABLE);
        Path openvpn27 = v27 == null || v27.isBlank() ? null : Path.of(v27).toAbsolutePath();
        if (openvpn27 != null && !Files.isExecutable(openvpn27)) {
            usage(StockOpenvpn.OPENVPN_27_VARIABLE + "=" + v27 + " is not an executable");
        }
        Path dir = Files.createTempDirectory("cvt-pair-bench-");
        Path jfrDir = Files.createDirectories(dir.resolve("jfr"));
        Path jfrTool = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Path wrapper = wrapper(dir, launcher, offloadOff, jfr, jfrDir);
        List<Variant> variants = variantNames.stream().map(PairBench::variant).toList();
        Options opts = new Options(rounds, seconds, pings10, pings200, warmup, handshakes, offloadOff, jfr, 12, wrapper,
                openvpn27, jfrDir, jfrTool, variants);
        List<Ends> cells = new ArrayList<>();
        cells.add(Ends.of(Pairing.STOCK_STOCK));
        cells.add(Ends.of(Pairing.CULVERT_CULVERT));
        cells.add(Ends.of(Pairing.CULVERT_STOCK));
        cells.add(Ends.of(Pairing.STOCK_CULVERT));
        if (openvpn27 != null) {
            cells.add(new Ends("2.7↔2.7", Impl.OPENVPN27, Impl.OPENVPN27));
        }
        header(opts, launcher, dir);
        Map<Variant, Map<Ends, Map<Metric, List<Double>>>> results = new LinkedHashMap<>();
        Map<Variant, TwoHosts> hosts = new LinkedHashMap<>();
        try {
            for (int v = 0; v < variants.size(); v++) {
                Path vdir = Files.createDirectories(dir.resolve(variantNames.get(v)));
                hosts.put(variants.get(v), TwoHosts.create("pb" + v, variants.get(v).scenario(), vdir, PORT));
            }
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : variants) {
                    for (Ends ends : cells) {
                        String tag = "r" + round + "-" + ends.client().name().toLowerCase(Locale.ROOT) + "-"
                                + ends.server().name().toLowerCase(Locale.ROOT);
                        TwoHosts h = hosts.get(variant);
                        PairCell.Result r = new PairCell(opts, ends, h, h.serverConf().getParent(), tag).measure();
                        Map<Metric, List<Double>> acc = results.computeIfAbsent(variant, k -> new LinkedHashMap<>())
                                .computeIfAbsent(ends, k -> new EnumMap<>(Metric.class));
                        r.values().forEach((m, x) -> acc.computeIfAbsent(m, k -> new ArrayList<>()).add(x));
                        System.out.println(line(round, variant, ends, r.values()));
                        r.notes().forEach(n -> System.out.println("    " + n));
                    }
                }
            }
        } finally {
            hosts.values().forEach(TwoHosts::close);
        }
        results.forEach((variant, byCell) -> summary(variant, byCell, opts));
        System.out.println("\nlogs in " + dir);
    }

    /** A launcher running {@code launcher} with the offload switch and the JFR recording set: every Culvert end gets them. */
    private static Path wrapper(Path dir, Path launcher, boolean offloadOff, boolean jfr, Path jfrDir) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\n# pair-bench: every Culvert end starts through this\n");
        List<String> javaOpts = new ArrayList<>();
        if (offloadOff) {
            s.append("export CULVERT_OFFLOAD=off\n");
            javaOpts.add("-Dculvert.offload=off");
        }
        if (jfr) {
            javaOpts.add("-XX:StartFlightRecording=settings=profile,filename=" + jfrDir.resolve("culvert-%p.jfr"));
        }
        if (!javaOpts.isEmpty()) {
            s.append("export JDK_JAVA_OPTIONS=\"").append(String.join(" ", javaOpts)).append("\"\n");
        }
        s.append("exec '").append(launcher).append("' \"$@\"\n");
        Path w = dir.resolve("culvert-wrapper.sh");
        Files.writeString(w, s);
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        return w;
    }

    private static Variant variant(String name) {
        return switch (name) {
            case "udp-gcm" -> new Variant("UDP AES-256-GCM", Scenario.UDP_TLS_CRYPT_GCM);
            case "udp-chacha" -> new Variant("UDP CHACHA20-POLY1305", Scenario.UDP_TLS_CRYPT_GCM.withCipher("CHACHA20-POLY1305"));
            case "tcp-gcm" -> new Variant("TCP AES-256-GCM", Scenario.UDP_TLS_CRYPT_GCM.withProto("tcp"));
            default -> throw usage("unknown variant " + name + " (udp-gcm, udp-chacha, tcp-gcm)");
        };
    }

    private static void header(Options o, Path launcher, Path dir) {
        System.out.println("Culvert pair benchmark, " + Instant.now());
        System.out.println("machine: " + sh("nproc").strip() + " CPUs, kernel " + sh("uname", "-r").strip() + ", load "
                + sh("cat", "/proc/loadavg").strip());
        System.out.println("openvpn: " + StockOpenvpn.version(NetnsCondition.OPENVPN) + (o.openvpn27() == null
                ? "; no " + StockOpenvpn.OPENVPN_27_VARIABLE : "; 2.7: " + StockOpenvpn.version(o.openvpn27())));
        System.out.println("culvert: " + launcher + " at " + sh("git", "-C", launcher.getParent().toString(), "log", "-1",
                "--format=%h %s").strip() + ", java " + Runtime.version());
        System.out.printf(Locale.ROOT, "settings: %d rounds alternating, iperf3 TCP %d s per direction, ping %d×10 ms"
                + " + %d×200 ms idle and every 20 ms under load, handshakes %d after %d warm-up, offload %s%s%n", o.rounds(),
                o.seconds(), o.pings10(), o.pings200(), o.handshakes(), o.warmup(),
                o.offloadOff() ? "OFF (CULVERT_OFFLOAD=off)" : "default",
                o.jfr() ? ", JFR allocation profiling on Culvert ends (slows them; connect time includes JFR start)" : "");
        System.out.println("variants: " + o.variants().stream().map(v -> v.name() + " [" + v.scenario() + "]").toList()
                + ", default MTU settings; cells are client↔server, openvpn = " + NetnsCondition.OPENVPN);
        System.out.println("logs: " + dir + "\n");
    }

    private static String line(int round, Variant v, Ends e, Map<Metric, Double> m) {
        return String.format(Locale.ROOT, "r%d %-21s %-16s up %s down %s Mbit/s | CPU/MB c %s s %s ms | frags %s | RTT p50/p99"
                + " 10ms %s/%s 200ms %s/%s load %s/%s ms | hs CPU %s ms | connect %s ms", round, v.name(), e.label(),
                f(m, Metric.UP, 1), f(m, Metric.DOWN, 1), f(m, Metric.CPU_CLIENT, 2), f(m, Metric.CPU_SERVER, 2),
                f(m, Metric.FRAGMENTS, 0), f(m, Metric.RTT10_P50, 3), f(m, Metric.RTT10_P99, 3), f(m, Metric.RTT200_P50, 3),
                f(m, Metric.RTT200_P99, 3), f(m, Metric.LOAD_P50, 2), f(m, Metric.LOAD_P99, 2), f(m, Metric.HANDSHAKE_CPU, 2),
                f(m, Metric.CONNECT, 0));
    }

    private static void summary(Variant variant, Map<Ends, Map<Metric, List<Double>>> byCell, Options o) {
        Ends ref = Ends.of(Pairing.STOCK_STOCK);
        System.out.printf(Locale.ROOT, "%n== %s: median of %d round(s); (×r) = ratio to openvpn↔openvpn in the same run ==%n",
                variant.name(), o.rounds());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-42s", "metric"));
        byCell.keySet().forEach(e -> head.append(String.format(Locale.ROOT, " | %-22s", e.label())));
        System.out.println(head);
        for (Metric m : Metric.values()) {
            if (!o.jfr() && (m == Metric.ALLOC_CLIENT || m == Metric.ALLOC_SERVER)) {
                continue;
            }
            double base = median(byCell.getOrDefault(ref, Map.of()).get(m));
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-42s", m.label + " " + m.unit
                    + (m.ratio ? (m.higherIsBetter ? " ↑" : " ↓") : "")));
            byCell.forEach((e, values) -> {
                double x = median(values.get(m));
                String cell = num(x, m == Metric.FRAGMENTS || m.unit.equals("B/MB") ? 0 : m.unit.equals("Mbit/s") ? 1 : 3);
                if (m.ratio && !e.equals(ref) && !Double.isNaN(x) && base > 0) {
                    cell += String.format(Locale.ROOT, " (×%.2f)", x / base);
                }
                row.append(String.format(Locale.ROOT, " | %-22s", cell));
            });
            System.out.println(row);
        }
        System.out.println("↑ higher is better, ↓ lower is better. CPU: run time of the tunnel process's threads"
                + " (/proc/PID/task/*/schedstat, /proc/PID/stat when threads exited); fragments: IpFragCreates+IpReasmReqds,"
                + " IPv4+IPv6, both namespaces;"
                + " handshake: server CPU over fresh client processes after warm-up, divided by their number");
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

    private static String f(Map<Metric, Double> m, Metric k, int decimals) {
        return num(m.getOrDefault(k, Double.NaN), decimals);
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static IllegalArgumentException usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: pair-bench.sh [--quick] [--rounds N] [--seconds S] [--handshakes N] [--offload on|off] [--jfr]"
                + " [--variants udp-gcm,udp-chacha,tcp-gcm] [--culvert LAUNCHER]\n"
                + "  (CULVERT_OPENVPN_27=/path/to/openvpn-2.7 adds 2.7↔2.7)");
        System.exit(2);
        return new IllegalArgumentException(problem);
    }
}
