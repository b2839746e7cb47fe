package io.culvert.engine.bench;

import io.culvert.engine.it.InteropRig;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.PingResult;
import io.culvert.engine.it.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput (iperf3) and RTT (ping) through a stock openvpn server, first with a stock client, then with
 * a client command (Culvert by default). Run by {@code engine/bench/tunnel-bench.sh}. Single-threaded.
 */
public final class TunnelBenchmark {

    private static final String DEFAULT_CLIENT = "./culvert client --config %s";
    private static final Pattern SENT = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern RECEIVED = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");

    /** One measured setup; NaN fields when it failed. */
    record Row(String name, double sentMbit, double receivedMbit, double rttMillis, String error) {

        static Row failed(String name, String error) {
            return new Row(name, Double.NaN, Double.NaN, Double.NaN, error);
        }
    }

    private TunnelBenchmark() { }

    public static void main(String[] args) throws IOException {
        String proto = "udp";
        String cipher = "AES-256-GCM";
        int seconds = 10;
        String clientCmd = DEFAULT_CLIENT;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--proto" -> proto = value;
                case "--cipher" -> cipher = value;
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--client-cmd" -> clientCmd = value;
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        List<String> missing = NetnsCondition.missing("iperf3", "ping");
        if (!missing.isEmpty()) {
            usage("cannot run: " + String.join("; ", missing));
        }
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM.withProto(proto).withCipher(cipher);
        Path dir = Files.createTempDirectory("cvt-bench-");
        System.out.println("scenario " + scenario + ", " + seconds + " s per run, logs in " + dir);
        String[] argv = clientCmd.trim().split("\\s+");
        Row stock;
        Row culvert;
        try (InteropRig rig = InteropRig.start(scenario, dir)) {
            int secs = seconds;
            stock = measure(rig, "stock↔stock", secs, rig::startStockClient);
            culvert = measure(rig, "stock-server↔culvert-client", secs, () -> rig.startClient("culvert-client.log", argv));
        }
        printTable(stock, culvert);
        System.exit(stock.error() == null && culvert.error() == null ? 0 : 1);
    }

    private static Row measure(InteropRig rig, String name, int seconds, Supplier<OpenvpnProcess> startClient) {
        try (OpenvpnProcess client = startClient.get()) {
            PingResult ping = rig.pingServer(20);
            Path iperfLog = rig.dir().resolve("iperf3-server-" + System.nanoTime() + ".log");
            try (OpenvpnProcess iperfServer = OpenvpnProcess.command(rig.serverNs(), rig.dir(), iperfLog,
                    "iperf3", "-s", "-1", "--forceflush", "-B", Scenario.SERVER_TUNNEL_ADDR)) {
                iperfServer.awaitLine("Server listening", Duration.ofSeconds(10));
                String json = rig.clientNs().exec(Duration.ofSeconds(seconds + 30L),
                        "iperf3", "-c", Scenario.SERVER_TUNNEL_ADDR, "-t", Integer.toString(seconds), "-J").output();
                double sent = mbit(SENT, json);
                double received = mbit(RECEIVED, json);
                if (Double.isNaN(received)) {
                    return Row.failed(name, "iperf3 gave no result: " + json.lines().limit(20).toList()
                            + "\nclient log:\n" + client.logTail(20));
                }
                return new Row(name, sent, received, ping.avgRttMillis(), ping.noLoss() ? null
                        : ping.lossPercent() + " % ping loss");
            }
        } catch (AssertionError | RuntimeException e) {
            return Row.failed(name, e.getMessage());
        }
    }

    private static double mbit(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) / 1e6 : Double.NaN;
    }

    private static void printTable(Row stock, Row culvert) {
        String fmt = "%-30s %14s %14s %10s%n";
        System.out.printf(Locale.ROOT, fmt, "setup", "sent Mbit/s", "recv Mbit/s", "RTT ms");
        for (Row r : List.of(stock, culvert)) {
            System.out.printf(Locale.ROOT, fmt, r.name(), num(r.sentMbit()), num(r.receivedMbit()), num(r.rttMillis()));
        }
        System.out.printf(Locale.ROOT, fmt, "ratio culvert/stock", num(culvert.sentMbit() / stock.sentMbit()),
                num(culvert.receivedMbit() / stock.receivedMbit()), num(culvert.rttMillis() / stock.rttMillis()));
        for (Row r : List.of(stock, culvert)) {
            if (r.error() != null) {
                System.out.println("\n" + r.name() + " FAILED: " + r.error());
            }
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: tunnel-bench.sh [--proto udp|tcp] [--cipher AES-256-GCM|CHACHA20-POLY1305|AES-256-CBC]"
                + " [--seconds N] [--client-cmd '" + DEFAULT_CLIENT + "']");
        System.exit(2);
    }
}
