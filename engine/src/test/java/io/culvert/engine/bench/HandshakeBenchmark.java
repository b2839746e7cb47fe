package io.culvert.engine.bench;

import io.culvert.engine.client.ClientProfile;
import io.culvert.engine.client.ClientRunner;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.it.NetnsCondition;
import io.culvert.engine.testkit.TestPki;
import io.culvert.engine.server.ScaleServerMain;
import io.culvert.engine.tun.InMemoryTun;
import io.culvert.engine.tun.NoNetConfig;
import io.culvert.engine.warmup.Warmup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Server CPU per new client handshake: a server alone in its own process on loopback (a Culvert server in a child
 * JVM, {@link ScaleServerMain}, then stock openvpn, same config, same PKI) and in-process
 * Culvert clients in this JVM, one at a time: start, wait until the tunnel is up, leave with explicit-exit-notify.
 * Prints the server process's CPU (from the OS) for the first handshake, the first ten and, after {@code --warm-up}
 * handshakes, per handshake over {@code --handshakes} more, for Culvert and stock, and the ratio; with
 * {@code --profile} also the top frames of the Culvert server's JFR execution samples during the steady loop.
 * Run it in a network namespace (the script does): stock openvpn creates a tun device. Usage: {@code HandshakeBenchmark [--warm-up N] [--handshakes N] [--key rsa|ec] [--profile]
 * [--server culvert|stock|both] [--server-jvm-args "ARGS"] [--warmed] [--settle]}; {@code --warmed} lets the Culvert server run
 * {@link Warmup} to its end before it listens; {@code --settle} waits after the warm-up handshakes until the server's JIT
 * compiler threads are idle, so that the steady figure is the handshake's own work. Single-threaded.
 */
public final class HandshakeBenchmark {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private HandshakeBenchmark() { }

    /** CPU of one server over the loop: cold (first, first ten), steady (per handshake after warm-up). */
    private record Result(String name, double firstMs, double firstTenMs, double steadyMs, double connectMedianMs) {
        void print() {
            System.out.printf(Locale.ROOT, "%-8s server CPU per handshake: first %.1f ms, first 10 %.2f ms each, steady %.2f ms"
                    + " (connect→up median %.1f ms)%n", name, firstMs, firstTenMs, steadyMs, connectMedianMs);
        }
    }

    public static void main(String[] args) throws Exception {
        int warmUp = 300;
        int handshakes = 300;
        TestPki.KeyType key = TestPki.KeyType.RSA_2048;
        boolean profile = false;
        String which = "both";
        String serverJvmArgs = "";
        boolean warmed = false;
        boolean settle = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--key" -> key = "ec".equals(args[++i]) ? TestPki.KeyType.EC_P256 : TestPki.KeyType.RSA_2048;
                case "--profile" -> profile = true;
                case "--server" -> which = args[++i];
                case "--server-jvm-args" -> serverJvmArgs = args[++i];
                case "--warmed" -> warmed = true;
                case "--settle" -> settle = true;
                default -> {
                    System.err.println("usage: HandshakeBenchmark [--warm-up N] [--handshakes N] [--key rsa|ec] [--profile]"
                            + " [--server culvert|stock|both] [--server-jvm-args \"ARGS\"] [--warmed] [--settle]");
                    System.exit(2);
                }
            }
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = Files.createTempDirectory("cvt-hs-");
        TestPki pki = TestPki.create(dir.resolve("pki"), key);
        Path serverConf = dir.resolve("server.conf");
        Files.writeString(serverConf, """
                port 1194
                proto udp
                dev tun
                topology subnet
                server 10.8.0.0 255.255.0.0
                duplicate-cn
                keepalive 10 60
                ca %s
                cert %s
                key %s
                dh none
                tls-crypt %s
                data-ciphers AES-256-GCM
                verb 1
                """.formatted(pki.ca(), pki.serverCert(), pki.serverKey(), pki.tcKey()));
        System.out.printf(Locale.ROOT, "handshake benchmark: %s PKI, tls-crypt, UDP loopback, %d warm-up then %d measured,"
                + " one client at a time%n", key, warmUp, handshakes);
        List<Result> results = new ArrayList<>();
        Path jfr = dir.resolve("server.jfr");
        if (!"stock".equals(which)) {
            List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC"));
            jvm.addAll(Arrays.stream(serverJvmArgs.split(" ")).filter(s -> !s.isBlank()).toList());
            try (ServerProcess server = ServerProcess.culvert(serverConf, jvm, warmed)) {
                results.add(loop("culvert", server, dir, pki, warmUp, handshakes, profile ? jfr : null, settle));
            }
        }
        if (!"culvert".equals(which)) {
            try (ServerProcess server = ServerProcess.stock(dir, pki)) {
                results.add(loop("openvpn", server, dir, pki, warmUp, handshakes, null, false));
            }
        }
        results.forEach(Result::print);
        if (results.size() == 2) {
            System.out.printf(Locale.ROOT, "ratio culvert/openvpn steady %.2f, first %.1f%n", results.get(0).steadyMs() / results.get(1).steadyMs(),
                    results.get(0).firstMs() / results.get(1).firstMs());
        }
        if (profile && Files.exists(jfr)) {
            printTopFrames(jfr);
        }
    }

    private static Result loop(String name, ServerProcess server, Path dir, TestPki pki, int warmUp, int handshakes, Path jfr,
            boolean settle)
            throws Exception {
        Path clientConf = dir.resolve("client-" + name + ".ovpn");
        Files.writeString(clientConf, """
                client
                dev tun
                proto udp
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                ca %s
                cert %s
                key %s
                tls-crypt %s
                data-ciphers AES-256-GCM
                explicit-exit-notify 1
                verb 1
                """.formatted(server.port(), pki.ca(), pki.clientCert(), pki.clientKey(), pki.tcKey()));
        ClientProfile profile = ClientProfile.from(ClientConfig.load(clientConf, false), prompt -> Optional.empty());
        Duration c0 = server.cpu();
        System.out.printf(Locale.ROOT, "%s server CPU before the first client (start-up%s): %.0f ms%n", name,
                "culvert".equals(name) ? " and any warm-up so far" : "", ms(c0));
        connectOnce(profile);
        Duration c1 = server.cpu();
        for (int i = 1; i < 10; i++) {
            connectOnce(profile);
        }
        Duration c10 = server.cpu();
        for (int i = 10; i < warmUp; i++) {
            connectOnce(profile);
        }
        if (settle) {
            settle(name, server);
        }
        if (jfr != null) {
            server.jcmd("JFR.start", "name=hs", "settings=profile");
        }
        long[] connect = new long[handshakes];
        java.util.Map<String, Long> threads0 = server.threadTicks();
        Duration s0 = server.cpu();
        for (int i = 0; i < handshakes; i++) {
            connect[i] = connectOnce(profile);
        }
        Duration s1 = server.cpu();
        printThreadCpu(name, threads0, server.threadTicks(), handshakes);
        if (jfr != null) {
            server.jcmd("JFR.stop", "name=hs", "filename=" + jfr);
        }
        Arrays.sort(connect);
        return new Result(name, ms(c1.minus(c0)), ms(c10.minus(c0)) / 10, ms(s1.minus(s0)) / handshakes,
                connect[handshakes / 2] / 1e6);
    }

    /**
     * Waits until the server's JIT compiler threads have been idle for two seconds in a row (at most two minutes), so
     * that the steady loop does not count the compile queue the warm-up handshakes left behind (on a loaded machine the
     * compiler threads get little CPU and would finish it during the loop): what the compiler threads still use in the
     * loop, the loop's own handshakes asked for.
     */
    private static void settle(String name, ServerProcess server) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long last = compilerTicks(server.threadTicks());
        int idle = 0;
        while (idle < 2 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(2)) {
            Thread.sleep(1000);
            long now = compilerTicks(server.threadTicks());
            idle = now == last ? idle + 1 : 0;
            last = now;
        }
        System.out.printf(Locale.ROOT, "%s JIT settled after %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    }

    private static long compilerTicks(java.util.Map<String, Long> ticks) {
        return ticks.entrySet().stream().filter(e -> e.getKey().startsWith("C# Compiler")).mapToLong(java.util.Map.Entry::getValue).sum();
    }

    /** One client: start, wait until its tunnel is up, stop (explicit-exit-notify); returns nanoseconds start → up. */
    private static long connectOnce(ClientProfile profile) throws InterruptedException {
        BlockingQueue<InMemoryTun> up = new LinkedBlockingQueue<>();
        ClientRunner runner = new ClientRunner(profile, e -> { }, (name, tap, mtu) -> {
            InMemoryTun t = new InMemoryTun("hs", tap, mtu);
            up.add(t);
            return t;
        }, new NoNetConfig(), InstantSource.system());
        long t0 = System.nanoTime();
        Thread thread = Thread.ofPlatform().name("hs-client").start(runner::run);
        try {
            long deadline = t0 + CONNECT_TIMEOUT.toNanos();
            while (runner.connectionInfo() == null || up.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("client not connected within " + CONNECT_TIMEOUT + ": " + runner.state());
                }
                Thread.onSpinWait();
                Thread.sleep(0, 200_000);
            }
            return System.nanoTime() - t0;
        } finally {
            runner.stop();
            thread.join(10_000);
        }
    }

    /** The server's CPU during the steady loop by thread name (JIT compiler and GC threads apart from the session thread). */
    private static void printThreadCpu(String name, java.util.Map<String, Long> before, java.util.Map<String, Long> after,
            int handshakes) {
        StringBuilder line = new StringBuilder(name + " steady CPU per handshake by thread:");
        after.entrySet().stream().map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(e -> line.append(String.format(Locale.ROOT, " %s %.2f ms;", e.getKey(), e.getValue() * 10.0 / handshakes)));
        System.out.println(line);
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    /** Prints the 25 hottest top frames and the 25 hottest Culvert frames anywhere on the stack. */
    private static void printTopFrames(Path jfr) throws IOException {
        java.util.Map<String, Integer> top = new java.util.HashMap<>();
        java.util.Map<String, Integer> ours = new java.util.HashMap<>();
        int samples = 0;
        int interpreted = 0;
        try (var file = new jdk.jfr.consumer.RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                var e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                var frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                if ("Interpreted".equals(frames.get(0).getType())) {
                    interpreted++;
                }
                top.merge(frameName(frames.get(0)), 1, Integer::sum);
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (var f : frames) {
                    String n = frameName(f);
                    if (n.startsWith("io.culvert") && seen.add(n)) {
                        ours.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "culvert server JFR execution samples during the steady loop: %d (top frame interpreted: %.1f %%)%n",
                samples, samples == 0 ? 0.0 : 100.0 * interpreted / samples);
        printHottest("top frames", top, samples);
        printHottest("culvert frames on the stack (inclusive)", ours, samples);
    }

    private static void printHottest(String title, java.util.Map<String, Integer> counts, int samples) {
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n", 100.0 * en.getValue() / samples, en.getKey()));
    }

    private static String frameName(jdk.jfr.consumer.RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** {@link ScaleServerMain} after {@link Warmup} ran to its end, so the first handshake shows what warm-up leaves. */
    public static final class WarmedServer {
        private WarmedServer() { }

        public static void main(String[] args) throws Exception {
            Thread warmup = Warmup.start(InstantSource.system());
            if (warmup != null) {
                warmup.join();
            }
            ScaleServerMain.main(args);
        }
    }

    /** A server process on loopback whose CPU time the OS accounts. */
    private static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final int port;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder log = new StringBuilder();

        /** Waits for {@code ready}; the port is {@code port}, or when that is 0 the number at the end of the ready line. */
        private ServerProcess(Process process, String ready, int port) throws InterruptedException {
            this.process = process;
            Thread.ofPlatform().daemon().name("hs-server-out").start(this::pump);
            String line = await(ready);
            this.port = port > 0 ? port : Integer.parseInt(line.replaceAll(".*?(\\d+)\\s*$", "$1"));
        }

        static ServerProcess culvert(Path serverConf, List<String> jvmArgs, boolean warmed) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), (warmed ? WarmedServer.class : ScaleServerMain.class).getName(),
                    serverConf.toString()));
            return new ServerProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), "PORT ", 0);
        }

        /** Stock openvpn, same config but a fixed free port (openvpn does not print a kernel-chosen one). */
        static ServerProcess stock(Path dir, TestPki pki) throws Exception {
            int port;
            try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("stock-server.conf");
            Files.writeString(conf, Files.readString(dir.resolve("server.conf")).replace("port 1194", "port " + port + "\nlocal 127.0.0.1")
                    .replace("dev tun", "dev hsbench0\ndev-type tun").replace("verb 1", "verb 3"));
            Process p = new ProcessBuilder(NetnsCondition.OPENVPN.toString(), "--config", conf.toString())
                    .redirectErrorStream(true).start();
            return new ServerProcess(p, "Initialization Sequence Completed", port);
        }

        int port() {
            return port;
        }

        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElseThrow();
        }

        /** CPU clock ticks (1/100 s) so far per thread name, from /proc (digits in names folded: "C2 CompilerThre#"). */
        java.util.Map<String, Long> threadTicks() throws IOException {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
                for (Path t : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(t.resolve("stat"));
                    } catch (IOException e) {
                        continue; // the thread ended
                    }
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                }
            }
            return out;
        }

        /** Runs {@code jcmd <pid> ARGS...} against the server JVM. */
        void jcmd(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid())));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + out);
            }
        }

        private String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.startsWith("FAILED")) {
                    synchronized (log) {
                        throw new IllegalStateException("server: no '" + prefix + "':\n" + log);
                    }
                }
                if (line.contains(prefix)) {
                    return line;
                }
            }
        }

        private void pump() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("FAILED " + e.getMessage());
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
