package io.culvert.engine.bench;

import io.culvert.engine.testkit.Pause;
import io.culvert.engine.it.Iperf3;
import io.culvert.engine.it.Netns;
import io.culvert.engine.it.OpenvpnProcess;
import io.culvert.engine.it.OuterFragments;
import io.culvert.engine.it.Scenario;
import io.culvert.engine.it.TwoHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures one cell of {@link PairBench}: one client implementation against one server implementation in one
 * {@link TwoHosts} scenario, every {@link PairBench.Metric} once, in this order: idle ping at 10 ms and at 200 ms
 * intervals, iperf3 client→server and server→client (CPU of each end and outer fragments over both), ping under an
 * iperf3 load, then connect → tunnel up and the server's CPU per handshake over a loop of fresh client processes.
 * Single-threaded apart from the iperf3 run behind the loaded ping.
 */
final class PairCell {
    private static final Pattern RECEIVED_BYTES = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(90);

    /** What the cell measured; NaN for what failed. JFR profiles only with {@code --jfr}, for Culvert ends. */
    record Result(Map<PairBench.Metric, Double> values, List<String> notes) { }

    private final PairBench.Options opts;
    private final PairBench.Ends ends;
    private final TwoHosts hosts;
    private final Path dir;
    private final String tag;
    private final Map<PairBench.Metric, Double> values = new EnumMap<>(PairBench.Metric.class);
    private final List<String> notes = new ArrayList<>();

    PairCell(PairBench.Options opts, PairBench.Ends ends, TwoHosts hosts, Path dir, String tag) {
        this.opts = opts;
        this.ends = ends;
        this.hosts = hosts;
        this.dir = dir;
        this.tag = tag;
    }

    Result measure() {
        Netns srv = hosts.srv();
        Netns cli = hosts.cli();
        try (OpenvpnProcess server = opts.start(ends.server(), true, srv, hosts.serverConf(), dir, tag + "-server")) {
            server.awaitInitialized(STARTUP);
            try (OpenvpnProcess client = opts.start(ends.client(), false, cli, hosts.clientConf(), dir, tag + "-client")) {
                awaitReady(client);
                OuterFragments frags0 = OuterFragments.read(srv, cli);
                RttStats idle10 = ping(cli, opts.pings10(), "0.01");
                put(PairBench.Metric.RTT10_P50, idle10.percentile(50));
                put(PairBench.Metric.RTT10_P99, idle10.percentile(99));
                RttStats idle200 = ping(cli, opts.pings200(), "0.2");
                put(PairBench.Metric.RTT200_P50, idle200.percentile(50));
                put(PairBench.Metric.RTT200_P99, idle200.percentile(99));

                ProcessCpu cpuC = ProcessCpu.start(client.process().toHandle());
                ProcessCpu cpuS = ProcessCpu.start(server.process().toHandle());
                LocalDateTime from = LocalDateTime.now();
                Iperf3.Result up = Iperf3.run(srv, cli, dir, opts.seconds(), false);
                Iperf3.Result down = Iperf3.run(srv, cli, dir, opts.seconds(), true);
                LocalDateTime to = LocalDateTime.now();
                double clientMs = cpuC.millis();
                double serverMs = cpuS.millis();
                if (!up.ok() || !down.ok()) {
                    notes.add("iperf3 failed: " + (up.ok() ? "" : up.problem()) + " " + (down.ok() ? "" : down.problem()));
                }
                put(PairBench.Metric.UP, up.receivedMbit());
                put(PairBench.Metric.DOWN, down.receivedMbit());
                double mb = (bytes(up) + bytes(down)) / 1e6;
                put(PairBench.Metric.CPU_CLIENT, mb > 0 ? clientMs / mb : Double.NaN);
                put(PairBench.Metric.CPU_SERVER, mb > 0 ? serverMs / mb : Double.NaN);

                RttStats loaded = pingUnderLoad(srv, cli);
                put(PairBench.Metric.LOAD_P50, loaded.percentile(50));
                put(PairBench.Metric.LOAD_P99, loaded.percentile(99));
                OuterFragments frags = OuterFragments.read(srv, cli).minus(frags0);
                put(PairBench.Metric.FRAGMENTS, (double) frags.total());
                if (frags.total() > 0) {
                    notes.add("outer fragments: " + frags);
                }
                client.close();
                if (opts.jfr()) {
                    profile(client, "client", from, to, mb);
                }
                handshakes(server);
                server.close();
                if (opts.jfr()) {
                    profile(server, "server", from, to, mb);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            notes.add("FAILED: " + String.join("\n    ", String.valueOf(e.getMessage()).lines().limit(12).toList()));
        }
        return new Result(values, notes);
    }

    /** Pings the server's tunnel address {@code count} times at {@code interval} seconds. */
    private RttStats ping(Netns cli, int count, String interval) {
        double seconds = count * Double.parseDouble(interval);
        return RttStats.parse(cli.exec(Duration.ofSeconds(30 + (long) seconds), "ping", "-c", Integer.toString(count),
                "-i", interval, "-W", "2", Scenario.SERVER_TUNNEL_ADDR).output());
    }

    /** Pings every 20 ms while iperf3 runs client→server, from 1 s after its start until 1 s before its end. */
    private RttStats pingUnderLoad(Netns srv, Netns cli) {
        CompletableFuture<Iperf3.Result> load = CompletableFuture.supplyAsync(
                () -> Iperf3.run(srv, cli, dir, opts.seconds(), false), r -> Thread.ofPlatform().daemon().start(r));
        Pause.millis(1000);
        RttStats rtt = ping(cli, Math.max(10, (opts.seconds() - 2) * 50), "0.02");
        Iperf3.Result r = load.join();
        if (!r.ok()) {
            notes.add("iperf3 under the loaded ping failed: " + r.problem());
        }
        return rtt;
    }

    /**
     * Stops the first client, then starts {@code warmup + handshakes} fresh client processes one after another, each
     * until the tunnel is up: connect time is spawn → "Initialization Sequence Completed"; handshake CPU is the
     * server's CPU over the measured ones divided by their number.
     */
    private void handshakes(OpenvpnProcess server) {
        List<Double> connect = new ArrayList<>();
        ProcessCpu cpu = null;
        int done = 0;
        for (int i = 0; i < opts.warmup() + opts.handshakes(); i++) {
            if (i == opts.warmup()) {
                cpu = ProcessCpu.start(server.process().toHandle());
            }
            long t0 = System.nanoTime();
            try (OpenvpnProcess c = opts.start(ends.client(), false, hosts.cli(), hosts.clientConf(), dir, tag + "-hs" + i)) {
                awaitReady(c);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= opts.warmup()) {
                    connect.add(ms);
                    done++;
                }
            }
        }
        put(PairBench.Metric.HANDSHAKE_CPU, done > 0 ? cpu.millis() / done : Double.NaN);
        put(PairBench.Metric.CONNECT, PairBench.median(connect));
    }

    private void profile(OpenvpnProcess p, String end, LocalDateTime from, LocalDateTime to, double mb) {
        Path recording = opts.jfrDir().resolve("culvert-" + p.process().pid() + ".jfr");
        if (!Files.exists(recording)) {
            return; // not a Culvert end
        }
        try {
            AllocationProfile a = AllocationProfile.read(opts.jfrTool(), recording, from, to);
            put(end.equals("client") ? PairBench.Metric.ALLOC_CLIENT : PairBench.Metric.ALLOC_SERVER, a.totalBytes() / mb);
            notes.add("JFR allocation, Culvert " + end + " during the two iperf3 runs (" + recording.getFileName() + "):");
            a.report(mb, opts.topSites(), Duration.between(from, to)).forEach(l -> notes.add("    " + l));
        } catch (RuntimeException e) {
            notes.add("JFR " + end + ": " + e.getMessage());
        }
    }

    /** Waits for the tunnel-up line, polling the log every 2 ms so that a fast start is timed to the millisecond. */
    private static void awaitReady(OpenvpnProcess p) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!p.log().contains(OpenvpnProcess.READY)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.awaitInitialized(Duration.ZERO); // throws with the log tail
            }
            Pause.millis(2);
        }
    }

    private static double bytes(Iperf3.Result r) {
        Matcher m = RECEIVED_BYTES.matcher(r.output());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private void put(PairBench.Metric m, double v) {
        values.put(m, v);
    }

}
