package io.culvert.engine.bench;

import io.culvert.engine.it.InteropRig;
import io.culvert.engine.it.Iperf3;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.PingResult;
import io.culvert.engine.it.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Throughput (iperf3) and RTT (ping) through a stock openvpn server, first with a stock client, then with
 * a client command (Culvert by default). Run by {@code engine/bench/tunnel-bench.sh}. Single-threaded.
 */
public final class TunnelBenchmark {

    private static final String DEFAULT_CLIENT = "./culvert client --config %s";

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
        boolean reverse = false;
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
                case "--reverse" -> reverse = Boolean.parseBoolean(value);
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
            boolean rev = reverse;
            stock = measure(rig, "stock↔stock", secs, rev, rig::startStockClient);
            culvert = measure(rig, "stock-server↔culvert-client", secs, rev, () -> rig.startClient("culvert-client.log", argv));
        }
        printTable(stock, culvert);
        System.exit(stock.error() == null && culvert.error() == null ? 0 : 1);
    }

    /** {@code reverse}: iperf3 -R, the server sends and the client receives. */
    private static Row measure(InteropRig rig, String name, int seconds, boolean reverse, Supplier<OpenvpnProcess> startClient) {
        try (OpenvpnProcess client = startClient.get()) {
            PingResult ping = rig.pingServer(20);
            Iperf3.Result iperf = Iperf3.run(rig.serverNs(), rig.clientNs(), rig.dir(), seconds, reverse);
            if (!iperf.ok()) {
                return Row.failed(name, "iperf3 gave no result: " + iperf.problem() + "\nclient log:\n" + client.logTail(20));
            }
            return new Row(name, iperf.sentMbit(), iperf.receivedMbit(), ping.avgRttMillis(), ping.noLoss() ? null
                    : ping.lossPercent() + " % ping loss");
        } catch (AssertionError | RuntimeException e) {
            return Row.failed(name, e.getMessage());
        }
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
