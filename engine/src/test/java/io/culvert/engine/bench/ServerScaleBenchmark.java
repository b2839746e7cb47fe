package io.culvert.engine.bench;

import io.culvert.engine.server.ScaleRig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;

/**
 * Connects N in-process Culvert clients (default 1,000, joining at 100/s) to a Culvert server alone in a child JVM
 * ({@link ScaleRig}) and prints how many connected, the join time, the server's CPU time per join, echo round trips
 * through a random sample of clients, and the server's retained heap per idle client (after full GCs, marginal
 * over a warm-up group) against the 64 KiB budget; then churn (default 10 s of 20 random leaves and fresh joins a
 * second): every client connected and answering again, one server instance per client, heap back where it was
 * (growth per leave+join under 4 KiB); plus optionally the server's largest heap classes. Ends with
 * {@code PASS} (exit 0) or {@code FAIL} (exit 1). No root needed. Usage:
 * {@code ServerScaleBenchmark [--clients N] [--warm-up N] [--rate PER_SECOND] [--sample N] [--churn-seconds N]
 * [--churn-rate PER_SECOND] [--histogram]}.
 * Single-threaded.
 */
public final class ServerScaleBenchmark {
    /** What the issue allows the server to retain per idle client. */
    private static final long HEAP_BUDGET_PER_CLIENT = 64 * 1024;

    private ServerScaleBenchmark() { }

    public static void main(String[] args) throws Exception {
        int clients = 1000;
        int warmUp = 10;
        int rate = 100;
        int sampleSize = 50;
        int churnSeconds = 10;
        int churnRate = 20;
        boolean histogram = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--sample" -> sampleSize = Integer.parseInt(args[++i]);
                case "--churn-seconds" -> churnSeconds = Integer.parseInt(args[++i]);
                case "--churn-rate" -> churnRate = Integer.parseInt(args[++i]);
                case "--histogram" -> histogram = true;
                default -> {
                    System.err.println("usage: ServerScaleBenchmark [--clients N] [--warm-up N] [--rate PER_SECOND] [--sample N] [--churn-seconds N] [--churn-rate PER_SECOND] [--histogram]");
                    System.exit(2);
                }
            }
        }
        if (LoggerFactory.getLogger("io.culvert") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = Files.createTempDirectory("cvt-scale-");
        boolean pass;
        try (ScaleRig rig = ScaleRig.start(dir, Math.max(256, clients + 16))) {
            ScaleRig.ServerStats empty = rig.serverStats();
            rig.connect(warmUp, rate, Duration.ofSeconds(60));
            require(rig.pingAll(Duration.ofSeconds(20)));
            ScaleRig.ServerStats warm = rig.serverStats();
            Duration cpu0 = rig.serverCpu();
            long t0 = System.nanoTime();
            String connectProblem = null;
            try {
                rig.connect(clients - warmUp, rate, Duration.ofSeconds(60 + 3L * clients / rate));
            } catch (AssertionError e) {
                connectProblem = e.getMessage();
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Duration handshakeCpu = rig.serverCpu().minus(cpu0);
            int connected = rig.connectedNow();
            int n = clients - warmUp;
            System.out.printf(Locale.ROOT, "connected                   %d of %d%s%n", connected, clients,
                    connectProblem == null ? "" : " (" + connectProblem + ")");
            System.out.printf(Locale.ROOT, "connect %d after warm-up    %.1f s (%.0f clients/s offered, %.1f achieved)%n", n,
                    connectSeconds, (double) rate, n / connectSeconds);
            System.out.printf(Locale.ROOT, "server CPU per handshake    %.2f ms (%.1f s CPU for %d joins, idle keepalives included)%n",
                    handshakeCpu.toNanos() / 1e6 / n, handshakeCpu.toMillis() / 1e3, n);
            if (connectProblem != null) {
                System.out.println("FAIL: not every client connected; server log tail:");
                rig.serverLog().lines().skip(Math.max(0, rig.serverLog().lines().count() - 20)).forEach(System.out::println);
                System.exit(1);
            }
            long p0 = System.nanoTime();
            require(rig.pingAll(Duration.ofSeconds(60)));
            double pingMillis = (System.nanoTime() - p0) / 1e6;
            List<Integer> sample = sample(clients, Math.min(sampleSize, clients));
            long[] rtts = rig.echoRoundTrips(sample, Duration.ofSeconds(5));
            ScaleRig.ServerStats full = rig.serverStats();
            double perClient = (double) (full.heapUsed() - warm.heapUsed()) / n;
            pass = perClient <= HEAP_BUDGET_PER_CLIENT && Arrays.stream(rtts).allMatch(r -> r >= 0);
            System.out.printf(Locale.ROOT, "server instances            %d (allocated %d, echo sources %d)%n",
                    full.instances(), full.created(), full.echoSources());
            System.out.printf(Locale.ROOT, "echo from every client      %.0f ms for all %d%n", pingMillis, clients);
            System.out.printf(Locale.ROOT, "echo RTT, %d random clients %s%n", sample.size(), rttSummary(rtts));
            System.out.printf(Locale.ROOT, "server heap after full GC   %d B empty, %d B with %d, %d B with %d%n", empty.heapUsed(),
                    warm.heapUsed(), warmUp, full.heapUsed(), clients);
            System.out.printf(Locale.ROOT, "heap per idle client        %.0f B marginal (budget %d B: %s)%n", perClient,
                    HEAP_BUDGET_PER_CLIENT, perClient <= HEAP_BUDGET_PER_CLIENT ? "ok" : "OVER");
            System.out.printf(Locale.ROOT, "heap per client (average)   %.0f B%n", (double) (full.heapUsed() - empty.heapUsed()) / clients);
            System.out.printf(Locale.ROOT, "RSS per client (marginal)   %.0f B%n", (double) (full.rss() - warm.rss()) / n);
            if (churnSeconds > 0) {
                pass &= churn(rig, clients, churnSeconds, churnRate, full);
            }
            if (histogram) {
                printHistogram(rig.serverPid());
            }
        }
        System.out.println(pass ? "PASS" : "FAIL");
        System.exit(pass ? 0 : 1);
    }

    /**
     * Random clients leave and fresh ones join for {@code seconds}, then every client must be connected and answer
     * an echo, the server must hold one instance per client, and its heap must be back near where it was.
     */
    private static boolean churn(ScaleRig rig, int clients, int seconds, int perSecond, ScaleRig.ServerStats before)
            throws Exception {
        Duration cpu0 = rig.serverCpu();
        long t0 = System.nanoTime();
        int replaced;
        try {
            replaced = rig.churn(Duration.ofSeconds(seconds), perSecond, Duration.ofSeconds(60));
        } catch (AssertionError e) {
            System.out.println("churn: " + e.getMessage());
            return false;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Duration cpu = rig.serverCpu().minus(cpu0);
        List<Integer> failed = rig.pingAll(Duration.ofSeconds(60));
        ScaleRig.ServerStats after = rig.serverStats();
        double growth = (double) (after.heapUsed() - before.heapUsed()) / replaced;
        System.out.printf(Locale.ROOT, "churn                       %d left and %d joined in %.1f s (%d/s offered); %d of %d connected after,"
                + " %d without echo%n", replaced, replaced, elapsed, perSecond, rig.connectedNow(), clients, failed.size());
        System.out.printf(Locale.ROOT, "churn server CPU            %.2f ms per leave+join%n", cpu.toNanos() / 1e6 / replaced);
        System.out.printf(Locale.ROOT, "churn server instances      %d before, %d after (allocated %d in all)%n", before.instances(),
                after.instances(), after.created());
        System.out.printf(Locale.ROOT, "churn heap growth           %.0f B per leave+join (%d B before, %d B after)%n", growth,
                before.heapUsed(), after.heapUsed());
        return failed.isEmpty() && rig.connectedNow() == clients && after.instances() == clients
                && growth < HEAP_BUDGET_PER_CLIENT / 16.0;
    }

    /** {@code size} distinct client indexes out of {@code 0..clients-1}, at random. */
    private static List<Integer> sample(int clients, int size) {
        List<Integer> all = new ArrayList<>(IntStream.range(0, clients).boxed().toList());
        Collections.shuffle(all);
        return all.subList(0, size);
    }

    private static String rttSummary(long[] nanos) {
        long lost = Arrays.stream(nanos).filter(r -> r < 0).count();
        double[] ms = Arrays.stream(nanos).filter(r -> r >= 0).sorted().mapToDouble(r -> r / 1e6).toArray();
        if (ms.length == 0) {
            return "no replies";
        }
        return String.format(Locale.ROOT, "min %.2f / median %.2f / p95 %.2f / max %.2f ms, %d without reply", ms[0],
                ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.95) - 1)], ms[ms.length - 1], lost);
    }

    private static void require(List<Integer> failed) {
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " clients got no echo reply: " + failed);
        }
    }

    private static void printHistogram(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        System.out.println("server heap histogram (top 30):");
        out.lines().limit(33).forEach(System.out::println);
    }
}
