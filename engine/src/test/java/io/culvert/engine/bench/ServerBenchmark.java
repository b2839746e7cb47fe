package io.culvert.engine.bench;

import io.culvert.engine.it.Iperf3;
import io.culvert.engine.it.Netns;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.PingResult;
import io.culvert.engine.it.Scenario;
import io.culvert.engine.it.TwoHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Throughput (iperf3 TCP, client→server and server→client) and RTT (ping) through a stock openvpn 2.6 client
 * to, first, a stock openvpn server and then {@code ./culvert server}, with the same configs in the same pair of
 * throwaway namespaces. Run by {@code engine/bench/server-bench.sh}. Single-threaded.
 */
public final class ServerBenchmark {
    private static final int PORT = 1194;

    /** One measured server; NaN fields when it failed. */
    record Row(String name, double upMbit, double downMbit, double coldRttMillis, double rttMillis, String error) {

        static Row failed(String name, String error) {
            return new Row(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, error);
        }
    }

    private ServerBenchmark() { }

    public static void main(String[] args) throws IOException {
        String proto = "udp";
        String cipher = "AES-256-GCM";
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--proto" -> proto = value;
                case "--cipher" -> cipher = value;
                case "--seconds" -> seconds = Integer.parseInt(value);
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        List<String> missing = NetnsCondition.missing("iperf3", "ping");
        if (!missing.isEmpty()) {
            usage("cannot run: " + String.join("; ", missing));
        }
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM.withProto(proto).withCipher(cipher);
        Path dir = Files.createTempDirectory("cvt-server-bench-");
        System.out.println("scenario " + scenario + ", stock openvpn 2.6 client, " + seconds + " s per direction, logs in " + dir);
        List<Row> rows = new ArrayList<>();
        try (TwoHosts hosts = TwoHosts.create("b", scenario, dir, PORT)) {
            int secs = seconds;
            rows.add(measure("stock client↔stock server", hosts.srv(), hosts.cli(), hosts.clientConf(), dir, secs,
                    () -> OpenvpnProcess.stock(hosts.srv(), hosts.serverConf(), dir)));
            rows.add(measure("stock client↔culvert server", hosts.srv(), hosts.cli(), hosts.clientConf(), dir, secs,
                    () -> OpenvpnProcess.command(hosts.srv(), dir, dir.resolve("culvert-server.log"),
                            OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", hosts.serverConf().toString())));
        }
        printTable(rows.get(0), rows.get(1));
        System.exit(rows.stream().allMatch(r -> r.error() == null) ? 0 : 1);
    }

    private static Row measure(String name, Netns srv, Netns cli, Path clientConf, Path dir, int seconds,
            Supplier<OpenvpnProcess> startServer) {
        try (OpenvpnProcess server = startServer.get().awaitInitialized(Duration.ofSeconds(60));
                OpenvpnProcess client = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(Duration.ofSeconds(30))) {
            PingResult cold = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 20);
            double up = iperf(srv, cli, dir, seconds, false);
            double down = iperf(srv, cli, dir, seconds, true);
            if (Double.isNaN(up) || Double.isNaN(down)) {
                return Row.failed(name, "iperf3 gave no result; server log:\n" + server.logTail(20));
            }
            // After the bulk runs the server's packet path is compiled (matters for a JVM, not for openvpn).
            PingResult warm = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 50);
            PingResult fast = PingResult.parse(cli.exec(Duration.ofSeconds(30), "ping", "-c", "500", "-i", "0.01", "-W", "2",
                    Scenario.SERVER_TUNNEL_ADDR).output());
            System.out.printf(Locale.ROOT, "%s: RTT %.3f ms at 100 pings/s (%d/%d)%n", name, fast.avgRttMillis(), fast.received(),
                    fast.transmitted());
            boolean lost = !cold.noLoss() || !warm.noLoss();
            return new Row(name, up, down, cold.avgRttMillis(), warm.avgRttMillis(), lost ? "ping loss: "
                    + cold.lossPercent() + " % cold, " + warm.lossPercent() + " % warm" : null);
        } catch (AssertionError | RuntimeException e) {
            return Row.failed(name, e.getMessage());
        }
    }

    /** Mbit/s received by the other end: client→server, or server→client with {@code reverse}. */
    private static double iperf(Netns srv, Netns cli, Path dir, int seconds, boolean reverse) {
        return Iperf3.run(srv, cli, dir, seconds, reverse).receivedMbit();
    }

    private static void printTable(Row stock, Row culvert) {
        String fmt = "%-30s %21s %21s %12s %12s%n";
        System.out.printf(Locale.ROOT, fmt, "setup", "client→server Mbit/s", "server→client Mbit/s", "RTT ms warm", "RTT ms cold");
        for (Row r : List.of(stock, culvert)) {
            System.out.printf(Locale.ROOT, fmt, r.name(), num(r.upMbit()), num(r.downMbit()), num(r.rttMillis()), num(r.coldRttMillis()));
        }
        System.out.printf(Locale.ROOT, fmt, "ratio culvert/stock", num(culvert.upMbit() / stock.upMbit()),
                num(culvert.downMbit() / stock.downMbit()), num(culvert.rttMillis() / stock.rttMillis()),
                num(culvert.coldRttMillis() / stock.coldRttMillis()));
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
        System.err.println("usage: server-bench.sh [--proto udp|tcp] [--cipher AES-256-GCM|CHACHA20-POLY1305|AES-256-CBC] [--seconds N]");
        System.exit(2);
    }
}
