package io.culvert.engine.bench;

import io.culvert.engine.server.ScaleRig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Connects N in-process Culvert clients to a Culvert server alone in a child JVM ({@link ScaleRig}) and prints
 * connect time, echo round trips and the server's retained heap per client (after full GCs, marginal over a
 * warm-up group) plus the server's largest heap classes. No root needed. Usage:
 * {@code ServerScaleBenchmark [--clients N] [--warm-up N] [--rate PER_SECOND] [--histogram]}. Single-threaded.
 */
public final class ServerScaleBenchmark {
    private ServerScaleBenchmark() { }

    public static void main(String[] args) throws Exception {
        int clients = 200;
        int warmUp = 10;
        int rate = 50;
        boolean histogram = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--histogram" -> histogram = true;
                default -> {
                    System.err.println("usage: ServerScaleBenchmark [--clients N] [--warm-up N] [--rate PER_SECOND] [--histogram]");
                    System.exit(2);
                }
            }
        }
        if (LoggerFactory.getLogger("io.culvert") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = Files.createTempDirectory("cvt-scale-");
        try (ScaleRig rig = ScaleRig.start(dir, Math.max(256, clients + 16))) {
            ScaleRig.ServerStats empty = rig.serverStats();
            rig.connect(warmUp, rate, Duration.ofSeconds(60));
            require(rig.pingAll(Duration.ofSeconds(20)));
            ScaleRig.ServerStats warm = rig.serverStats();
            long t0 = System.nanoTime();
            rig.connect(clients - warmUp, rate, Duration.ofSeconds(60 + 2L * clients));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            long p0 = System.nanoTime();
            require(rig.pingAll(Duration.ofSeconds(60)));
            double pingMillis = (System.nanoTime() - p0) / 1e6;
            ScaleRig.ServerStats full = rig.serverStats();
            int n = clients - warmUp;
            System.out.printf(Locale.ROOT, "clients                     %d (instances %d, allocated %d, echo sources %d)%n", clients,
                    full.instances(), full.created(), full.echoSources());
            System.out.printf(Locale.ROOT, "connect %d after warm-up     %.1f s (%.0f clients/s offered)%n", n, connectSeconds, (double) rate);
            System.out.printf(Locale.ROOT, "echo from every client      %.0f ms for all %d%n", pingMillis, clients);
            System.out.printf(Locale.ROOT, "server heap after full GC   %d B empty, %d B with %d, %d B with %d%n", empty.heapUsed(),
                    warm.heapUsed(), warmUp, full.heapUsed(), clients);
            System.out.printf(Locale.ROOT, "heap per client (marginal)  %.0f B%n", (double) (full.heapUsed() - warm.heapUsed()) / n);
            System.out.printf(Locale.ROOT, "heap per client (average)   %.0f B%n", (double) (full.heapUsed() - empty.heapUsed()) / clients);
            System.out.printf(Locale.ROOT, "RSS per client (marginal)   %.0f B%n", (double) (full.rss() - warm.rss()) / n);
            if (histogram) {
                printHistogram(rig.serverPid());
            }
        }
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
