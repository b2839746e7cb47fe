package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.DoubleStream;

/**
 * The fault-injection suite: every {@link Fault} against every {@link Pairing} of Culvert and stock openvpn 2.6
 * ends, in the same {@link MultiClientRig} (one server namespace; client 1 is the measured client, the others are
 * churners) with the same configs ({@link Scenario#UDP_TLS_CRYPT_GCM}: server {@code keepalive 2 10}, client
 * {@code ping-restart 10}, {@code explicit-exit-notify 1}). Each measurement is a {@link Cell}: iperf3 TCP
 * throughput client→server through the tunnel, handshakes completed of attempted, and recovery seconds.
 *
 * <p>How faults are made (this kernel has no netem), all through {@link LinkFaults}. Random loss: a netdev-family
 * nftables chain on the ingress hook of each end of client 1's veth drops N % of the IP packets (ARP passes), so
 * both directions lose N %. Local send failures: an output-hook chain in client 1's namespace dropping 5 % of the
 * UDP datagrams to the server, which makes {@code sendto} fail with EPERM.
 * Server killed: SIGKILL to the server's process tree, then the same server is started again at once.
 * Interface down/up: client 1's veth is set down while pings go into the tunnel (so the client's sends fail with
 * ENETUNREACH), then up. Churn: the churner
 * namespaces run stock openvpn clients that join, pass a ping, stay a random 0.5–2 s and leave (SIGTERM, so
 * {@code explicit-exit-notify}), while client 1 is measured; churners are stock clients in every column, so the
 * column's client-side CPU load is the same and the column compares the servers and the measured client.
 *
 * <p>Recovery is measured from the moment the fault ends (the kill, for a restarted server: its start-up is
 * part of it; the interface coming back up) to the first echo reply through the tunnel, polled with one-second
 * pings; for churn it is the mean time from a churner's start to its first echo reply. A fault that ends no
 * session must not make the client reconnect: such extra sessions are counted as {@link Cell#restarts()}.
 *
 * <p>Each measurement starts clean: fresh client, no faults, and no leftover IP fragments in either namespace (a
 * peer that fragments its datagrams leaves incomplete ones behind under loss, and while they fill the kernel's
 * reassembly buffer every new fragment is dropped for up to 30 s). A loss cell notes when that buffer was full at
 * the end of its run, which is what starves a fragmenting peer.
 *
 * <p>Not thread-safe: one caller drives it. Every fault is removed after its measurement, even on failure, and
 * {@link #close()} removes the namespaces and every process.
 */
public final class FaultSuite implements AutoCloseable {

    /** Churner namespaces beside the measured client. */
    public static final int CHURNERS = 4;
    private static final int MEASURED = 1;
    private static final Duration HANDSHAKE_BOUND = Duration.ofSeconds(40);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
    private static final int SEND_FAILURE_PERCENT = 5;

    /** The conditions the suite creates. */
    public enum Fault {
        NONE("no fault", 0),
        LOSS_5("5 % random loss", 5),
        LOSS_10("10 % random loss", 10),
        LOSS_20("20 % random loss", 20),
        SEND_FAILURES(SEND_FAILURE_PERCENT + " % of client sends fail", 0),
        SERVER_KILLED("server SIGKILLed, restarted", 0),
        INTERFACE_DOWN_UP("client interface down, up", 0),
        CHURN(CHURNERS + " clients join and leave", 0);

        private final String label;
        private final int lossPercent;

        Fault(String label, int lossPercent) {
            this.label = label;
            this.lossPercent = lossPercent;
        }

        public String label() {
            return label;
        }

        /** Loss on the link in percent, 0 for faults that are not random loss. */
        public int lossPercent() {
            return lossPercent;
        }
    }

    /**
     * How long each part runs; immutable.
     *
     * @param throughputSeconds length of each iperf3 run
     * @param handshakeTrials fresh client starts under random loss (the last successful one is measured)
     * @param interfaceDown how long client 1's interface stays down
     * @param throughputRuns throughput runs under random loss or failed sends, one right after the other, the best of
     *     which counts (short runs vary with the load other programs put on the machine; the best of two is steadier,
     *     for every pairing alike; a pair that fragments has filled the reassembly buffer by the second run, so its
     *     first counts)
     */
    public record Timing(int throughputSeconds, int handshakeTrials, Duration interfaceDown, int throughputRuns) {
        /** For CI: a few seconds per condition, the best of two runs under loss or failed sends. */
        public static final Timing SHORT = new Timing(3, 1, Duration.ofSeconds(2), 2);
        /** For the long run: 12 s per throughput measurement, three handshakes under each loss rate. */
        public static final Timing LONG = new Timing(12, 3, Duration.ofSeconds(3), 1);
    }

    /**
     * One fault × pairing; immutable.
     *
     * @param fault the condition
     * @param pairing which ends were Culvert
     * @param mbit iperf3 TCP client→server Mbit/s received by the server during or after the fault; 0 when none
     * @param handshakes sessions that came up within the bound (fresh starts and reconnections the fault forced)
     * @param attempts sessions the measurement needed
     * @param recoverySeconds seconds until traffic flowed again, NaN where the fault has no recovery or traffic never flowed
     * @param restarts sessions the client started that the fault did not force (a failed send must not end a session)
     * @param note what went wrong, empty when nothing did
     */
    public record Cell(Fault fault, Pairing pairing, double mbit, int handshakes, int attempts, double recoverySeconds,
            int restarts, String note) {

        /** {@code 123.4 Mbit/s, 1/1 hs, 11.2 s, +3 restarts}; {@code !} marks a cell with a note. */
        public String brief() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.1f Mbit/s, %d/%d hs, %s", mbit, handshakes, attempts,
                    Double.isNaN(recoverySeconds) ? "-" : String.format(Locale.ROOT, "%.1f s", recoverySeconds)));
            if (restarts > 0) {
                b.append(", +").append(restarts).append(" restarts");
            }
            if (!note.isEmpty()) {
                b.append(" !");
            }
            return b.toString();
        }
    }

    private final MultiClientRig rig;
    private final Timing timing;
    private final List<OpenvpnProcess> live = new ArrayList<>();
    private final Map<Fault, Map<Pairing, Cell>> cells = new EnumMap<>(Fault.class);
    private Boolean culvertServerRunning;

    private FaultSuite(MultiClientRig rig, Timing timing) {
        this.rig = rig;
        this.timing = timing;
    }

    /** Builds the namespaces, links, PKI and configs in {@code dir}; starts nothing. */
    public static FaultSuite create(Path dir, Timing timing) {
        return new FaultSuite(MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, MEASURED + CHURNERS), timing);
    }

    /**
     * Measures every fault for every pairing, grouped by server so each server starts once (plus restarts the
     * faults make), and returns the cells by fault, then pairing, in the enums' order. Within a server the loss
     * faults come last and the Culvert server goes second, so the reassembly buffer a fragmenting pair fills under
     * loss has to drain (up to 30 s, see {@link #measure}) only between loss measurements, not before the others.
     */
    public Map<Fault, Map<Pairing, Cell>> runAll(List<Fault> faults, List<Pairing> pairings) {
        List<Fault> order = faults.stream().sorted(Comparator.comparing(f -> f.lossPercent() > 0)).toList();
        for (boolean culvertServer : new boolean[] {false, true}) {
            for (Fault f : order) {
                for (Pairing p : pairings) {
                    if (p.culvertServer() == culvertServer) {
                        Cell c = measure(f, p);
                        System.out.printf(Locale.ROOT, "fault suite: %-30s %-16s %s%s%n", f.label(), p.label(), c.brief(),
                                c.note().isEmpty() ? "" : "\n    " + c.note().replace("\n", "\n    "));
                    }
                }
            }
        }
        return table();
    }

    /** Cells measured so far, by fault then pairing. */
    public Map<Fault, Map<Pairing, Cell>> table() {
        Map<Fault, Map<Pairing, Cell>> copy = new EnumMap<>(Fault.class);
        cells.forEach((f, row) -> copy.put(f, new EnumMap<>(row)));
        return copy;
    }

    /** The cell for {@code fault} × {@code pairing}, measuring it if it has not been. */
    public Cell cell(Fault fault, Pairing pairing) {
        Cell c = cells.computeIfAbsent(fault, f -> new EnumMap<>(Pairing.class)).get(pairing);
        return c != null ? c : measure(fault, pairing);
    }

    /**
     * Measures one cell now (again, if it was measured before) and records it, after waiting for leftover IP
     * fragments to drain from the server's and client 1's namespaces.
     */
    public Cell measure(Fault fault, Pairing pairing) {
        Cell c;
        try {
            ensureServer(pairing.culvertServer());
            awaitReassemblyDrained();
            c = switch (fault) {
                case NONE, LOSS_5, LOSS_10, LOSS_20 -> underLoss(fault, pairing);
                case SEND_FAILURES -> sendFailures(pairing);
                case SERVER_KILLED -> serverKilled(pairing);
                case INTERFACE_DOWN_UP -> interfaceDownUp(pairing);
                case CHURN -> churn(pairing);
            };
        } catch (RuntimeException | AssertionError e) {
            c = new Cell(fault, pairing, 0, 0, 1, Double.NaN, 0, "measurement failed: " + e.getMessage());
        } finally {
            clearFaults();
            stopClients();
        }
        cells.computeIfAbsent(fault, f -> new EnumMap<>(Pairing.class)).put(pairing, c);
        return c;
    }

    /** The table {@code condition | pairing… }, one line per fault, cells as {@link Cell#brief()}, then the notes. */
    public static String format(Map<Fault, Map<Pairing, Cell>> table, List<Pairing> pairings) {
        StringBuilder out = new StringBuilder();
        String condFmt = "%-30s";
        String cellFmt = " | %-40s";
        out.append(String.format(Locale.ROOT, condFmt, "condition"));
        pairings.forEach(p -> out.append(String.format(Locale.ROOT, cellFmt, p.label())));
        out.append('\n').append("-".repeat(30 + 43 * pairings.size())).append('\n');
        List<Cell> noted = new ArrayList<>();
        table.forEach((fault, row) -> {
            out.append(String.format(Locale.ROOT, condFmt, fault.label()));
            for (Pairing p : pairings) {
                Cell c = row.get(p);
                out.append(String.format(Locale.ROOT, cellFmt, c == null ? "not run" : c.brief()));
                if (c != null && !c.note().isEmpty()) {
                    noted.add(c);
                }
            }
            out.append('\n');
        });
        out.append("columns: client↔server; cells: iperf3 TCP client→server Mbit/s, handshakes completed/attempted, recovery seconds"
                + " (- where the fault has none), +N restarts the fault did not force; ! see the notes\n");
        for (Cell c : noted) {
            out.append("! ").append(c.fault().label()).append(", ").append(c.pairing().label()).append(": ")
                    .append(c.note().lines().limit(12).reduce((a, b) -> a + "\n    " + b).orElse("")).append('\n');
        }
        return out.toString();
    }

    // --- the faults ------------------------------------------------------------------------------------------

    /** Fresh client starts under random loss (none for {@link Fault#NONE}), then throughput under the same loss. */
    private Cell underLoss(Fault fault, Pairing pairing) {
        if (fault.lossPercent() > 0) {
            setLoss(fault.lossPercent());
        }
        int trials = fault.lossPercent() > 0 ? timing.handshakeTrials() : 1;
        int completed = 0;
        OpenvpnProcess measured = null;
        StringBuilder note = new StringBuilder();
        for (int t = 0; t < trials; t++) {
            OpenvpnProcess c = startClient(MEASURED, pairing.culvertClient());
            if (awaitReady(c, 1, HANDSHAKE_BOUND)) {
                completed++;
                if (measured != null) {
                    stop(measured);
                }
                measured = c;
            } else {
                note.append("handshake ").append(t + 1).append(" not done within ").append(HANDSHAKE_BOUND.toSeconds())
                        .append(" s:\n").append(c.logTail(8)).append('\n');
                stop(c);
            }
        }
        if (measured == null) {
            return new Cell(fault, pairing, 0, 0, trials, Double.NaN, 0, note.toString().strip());
        }
        double mbit = bestThroughput(note, measured);
        for (Netns ns : List.of(rig.serverNs(), rig.clientNs(MEASURED))) {
            long held = reassemblyBytes(ns);
            long limit = reassemblyLimit(ns);
            if (held >= limit * 9 / 10) {
                note.append("outer IP fragments: the reassembly buffer in ").append(ns == rig.serverNs() ? "the server's" : "the client's")
                        .append(" namespace is full (").append(held).append(" B of incomplete datagrams, net.ipv4.ipfrag_high_thresh ")
                        .append(limit).append(" B), so it drops every new fragment until they time out\n");
            }
        }
        return new Cell(fault, pairing, mbit, completed, trials, Double.NaN, restarts(measured, 1), note.toString().strip());
    }

    /** The best of {@link Timing#throughputRuns()} runs, one right after the other (at least one). */
    private double bestThroughput(StringBuilder note, OpenvpnProcess client) {
        double mbit = 0;
        for (int run = 0; run < Math.max(1, timing.throughputRuns()); run++) {
            mbit = Math.max(mbit, throughput(note, client));
        }
        return mbit;
    }

    /** A connected client's firewall refuses 5 % of its datagrams to the server: the session must carry on. */
    private Cell sendFailures(Pairing pairing) {
        OpenvpnProcess client = connectedClient(pairing);
        LinkFaults.failUdpSends(rig.clientNs(MEASURED), rig.link(MEASURED).addrA(), SEND_FAILURE_PERCENT);
        StringBuilder note = new StringBuilder();
        double mbit = bestThroughput(note, client);
        return new Cell(Fault.SEND_FAILURES, pairing, mbit, 1, 1, Double.NaN, restarts(client, 1), note.toString().strip());
    }

    /** SIGKILL to the server, started again at once; the client must come back on its own. */
    private Cell serverKilled(Pairing pairing) {
        OpenvpnProcess client = connectedClient(pairing);
        long killedAt = System.nanoTime();
        rig.killServer();
        culvertServerRunning = null;
        ensureServer(pairing.culvertServer());
        double recovery = awaitTraffic(rig.clientNs(MEASURED), killedAt, RECOVERY_BOUND);
        StringBuilder note = new StringBuilder();
        if (Double.isNaN(recovery)) {
            note.append("no traffic within ").append(RECOVERY_BOUND.toSeconds()).append(" s of the kill:\n").append(client.logTail(10));
            return new Cell(Fault.SERVER_KILLED, pairing, 0, 1, 2, Double.NaN, restarts(client, 2), note.toString());
        }
        double mbit = throughput(note, client);
        int sessions = readyCount(client);
        return new Cell(Fault.SERVER_KILLED, pairing, mbit, Math.min(2, sessions), 2, recovery, restarts(client, 2),
                note.toString().strip());
    }

    /** Client 1's veth goes down while traffic enters the tunnel (sends fail with ENETUNREACH) and comes back up. */
    private Cell interfaceDownUp(Pairing pairing) {
        OpenvpnProcess client = connectedClient(pairing);
        Netns ns = rig.clientNs(MEASURED);
        String dev = rig.link(MEASURED).nameB();
        ns.exec(Duration.ofSeconds(10), "ip", "link", "set", dev, "down").orThrow("ip link set " + dev + " down");
        // Traffic into the tunnel while the link is down, so the client's sends fail (ENETUNREACH) for certain.
        long downSeconds = Math.max(1, timing.interfaceDown().toSeconds());
        ns.exec(Duration.ofSeconds(downSeconds + 5), "ping", "-i", "0.2", "-w", Long.toString(downSeconds), Scenario.SERVER_TUNNEL_ADDR);
        long upAt = System.nanoTime();
        ns.exec(Duration.ofSeconds(10), "ip", "link", "set", dev, "up").orThrow("ip link set " + dev + " up");
        double recovery = awaitTraffic(ns, upAt, RECOVERY_BOUND);
        StringBuilder note = new StringBuilder();
        if (Double.isNaN(recovery)) {
            note.append("no traffic within ").append(RECOVERY_BOUND.toSeconds()).append(" s of the interface coming up:\n")
                    .append(client.logTail(10));
            return new Cell(Fault.INTERFACE_DOWN_UP, pairing, 0, 1, 1, Double.NaN, restarts(client, 1), note.toString());
        }
        double mbit = throughput(note, client);
        return new Cell(Fault.INTERFACE_DOWN_UP, pairing, mbit, 1, 1, recovery, restarts(client, 1), note.toString().strip());
    }

    /** Churners join and leave at random while client 1 is measured. */
    private Cell churn(Pairing pairing) {
        OpenvpnProcess client = connectedClient(pairing);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<Churned>> churners = new ArrayList<>();
        StringBuilder note = new StringBuilder();
        double mbit;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = MEASURED + 1; i <= MEASURED + CHURNERS; i++) {
                int index = i;
                churners.add(pool.submit(() -> churnLoop(index, running)));
            }
            try {
                Pause.millis(1000); // let the first joins start before measuring
                mbit = throughput(note, client);
            } finally {
                running.set(false);
            }
        }
        int attempted = 0;
        int completed = 0;
        List<Double> joins = new ArrayList<>();
        for (Future<Churned> f : churners) {
            Churned c = join(f);
            attempted += c.attempted();
            completed += c.joinSeconds().size();
            joins.addAll(c.joinSeconds());
            if (!c.problem().isEmpty()) {
                note.append(c.problem()).append('\n');
            }
        }
        double meanJoin = joins.stream().flatMapToDouble(DoubleStream::of).average().orElse(Double.NaN);
        return new Cell(Fault.CHURN, pairing, mbit, completed, attempted, meanJoin, restarts(client, 1), note.toString().strip());
    }

    /** What one churner did: joins attempted, seconds from start to first echo reply per successful join. */
    private record Churned(int attempted, List<Double> joinSeconds, String problem) { }

    private Churned churnLoop(int index, AtomicBoolean running) {
        int attempted = 0;
        List<Double> joins = new ArrayList<>();
        StringBuilder problem = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            attempted++;
            long start = System.nanoTime();
            OpenvpnProcess p = OpenvpnProcess.stock(rig.clientNs(index), rig.clientConfig(index), rig.dir());
            try {
                double joined = awaitReady(p, 1, HANDSHAKE_BOUND)
                        ? awaitTraffic(rig.clientNs(index), start, Duration.ofSeconds(20)) : Double.NaN;
                if (Double.isNaN(joined)) {
                    problem.append("churner ").append(index).append(" join ").append(attempted).append(" failed:\n")
                            .append(p.logTail(6)).append('\n');
                } else {
                    joins.add(joined);
                }
                Pause.millis(random.nextLong(500, 2000));
            } finally {
                p.stop();
            }
            Pause.millis(random.nextLong(0, 1000));
        }
        return new Churned(attempted, joins, problem.toString().strip());
    }

    // --- parts -------------------------------------------------------------------------------------------------

    private void ensureServer(boolean culvert) {
        if (culvertServerRunning != null && culvertServerRunning == culvert && rig.server() != null && rig.server().isAlive()) {
            return;
        }
        if (rig.server() != null) {
            rig.stopServer();
        }
        culvertServerRunning = null;
        if (culvert) {
            rig.startCulvertServer();
        } else {
            rig.startStockServer();
        }
        culvertServerRunning = culvert;
    }

    /** Starts the pairing's client as client 1 and waits for its tunnel and a first echo reply; throws if none. */
    private OpenvpnProcess connectedClient(Pairing pairing) {
        OpenvpnProcess client = startClient(MEASURED, pairing.culvertClient());
        if (!awaitReady(client, 1, HANDSHAKE_BOUND)) {
            throw new AssertionError("client did not connect without a fault:\n" + client.logTail(15) + "\nserver:\n"
                    + rig.serverLogTail(10));
        }
        if (Double.isNaN(awaitTraffic(rig.clientNs(MEASURED), System.nanoTime(), Duration.ofSeconds(15)))) {
            throw new AssertionError("no echo reply through a fresh tunnel:\n" + client.logTail(15));
        }
        return client;
    }

    private OpenvpnProcess startClient(int index, boolean culvert) {
        OpenvpnProcess p = culvert
                ? OpenvpnProcess.command(rig.clientNs(index), rig.dir(), rig.dir().resolve("culvert-client" + index + ".log"),
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", rig.clientConfig(index).toString())
                : OpenvpnProcess.stock(rig.clientNs(index), rig.clientConfig(index), rig.dir());
        live.add(p);
        return p;
    }

    private void stop(OpenvpnProcess p) {
        p.stop();
        live.remove(p);
    }

    private void stopClients() {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            live.forEach(p -> pool.submit(p::stop));
        }
        live.clear();
    }

    /** iperf3 client→server; 0 and a line in {@code note} when it gave no result. */
    private double throughput(StringBuilder note, OpenvpnProcess client) {
        Iperf3.Result r = Iperf3.run(rig.serverNs(), rig.clientNs(MEASURED), rig.dir(), timing.throughputSeconds(), false);
        if (!r.ok()) {
            note.append("iperf3 gave no result: ").append(r.problem()).append("\nclient log:\n").append(client.logTail(8)).append('\n');
            return 0;
        }
        if (r.receivedMbit() < 0.05) {
            note.append("iperf3 moved nothing in ").append(timing.throughputSeconds()).append(" s; iperf3 server:\n")
                    .append(r.serverLog()).append("\nclient log:\n").append(client.logTail(8)).append("\nserver log:\n")
                    .append(rig.serverLogTail(8)).append('\n');
        }
        return r.receivedMbit();
    }

    /** Waits for the {@code n}-th tunnel-up line; false when the process exits or time runs out first. */
    private static boolean awaitReady(OpenvpnProcess p, int n, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (readyCount(p) < n) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Pause.millis(100);
        }
        return true;
    }

    private static int readyCount(OpenvpnProcess p) {
        return (int) p.log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
    }

    private static int restarts(OpenvpnProcess p, int forced) {
        return Math.max(0, readyCount(p) - forced);
    }

    /** Seconds from {@code since} to the first echo reply from the server's tunnel address; NaN after {@code bound}. */
    private static double awaitTraffic(Netns ns, long since, Duration bound) {
        long deadline = since + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (ns.exec(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", Scenario.SERVER_TUNNEL_ADDR).ok()) {
                return (System.nanoTime() - since) / 1e9;
            }
            Pause.millis(50); // ping waits a second for a reply; this only stops a tight loop when it fails at once
        }
        return Double.NaN;
    }

    /**
     * Waits until neither the server's nor client 1's namespace holds fragments of incomplete datagrams. A peer that
     * fragments its datagrams leaves many behind under random loss; the kernel keeps them for
     * {@code net.ipv4.ipfrag_time} (30 s) and, while they fill {@code ipfrag_high_thresh}, drops every new
     * fragment, which would starve the next measurement of whatever came before it.
     */
    private void awaitReassemblyDrained() {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(45);
        while (reassemblyBytes(rig.serverNs()) + reassemblyBytes(rig.clientNs(MEASURED)) > 0 && System.nanoTime() < deadline) {
            Pause.millis(500);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (waited > 1000) {
            System.out.printf(Locale.ROOT, "fault suite: waited %.1f s for the kernel to drop leftover IP fragments%n", waited / 1e3);
        }
    }

    /** Bytes of incomplete datagrams the namespace's IPv4 reassembly holds ({@code FRAG: memory} in /proc/net/sockstat). */
    private static long reassemblyBytes(Netns ns) {
        for (String line : ns.exec(Duration.ofSeconds(10), "cat", "/proc/net/sockstat").output().split("\n")) {
            if (line.startsWith("FRAG:")) {
                String[] f = line.strip().split("\\s+");
                return Long.parseLong(f[f.length - 1]);
            }
        }
        return 0;
    }

    private static long reassemblyLimit(Netns ns) {
        String v = ns.exec(Duration.ofSeconds(10), "sysctl", "-n", "net.ipv4.ipfrag_high_thresh").output().strip();
        return v.chars().allMatch(Character::isDigit) && !v.isEmpty() ? Long.parseLong(v) : Long.MAX_VALUE;
    }

    /** Drops {@code percent} % of the IP packets arriving at either end of client 1's veth. */
    private void setLoss(int percent) {
        LinkFaults.loss(rig.serverNs(), rig.clientNs(MEASURED), rig.link(MEASURED), percent);
    }

    /** Removes every fault: loss and send-failure tables, and brings client 1's veth up. Ignores what is not there. */
    private void clearFaults() {
        Duration t = Duration.ofSeconds(10);
        LinkFaults.clearAll(rig.serverNs());
        Netns ns = rig.clientNs(MEASURED);
        LinkFaults.clearAll(ns);
        ns.exec(t, "ip", "link", "set", rig.link(MEASURED).nameB(), "up");
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("churner failed", e.getCause());
        }
    }

    /** The rig the suite runs in (namespaces, server, logs in {@link MultiClientRig#dir()}). */
    public MultiClientRig rig() {
        return rig;
    }

    /** Removes every fault, stops every process and deletes the namespaces. */
    @Override
    public void close() {
        try {
            clearFaults();
        } catch (RuntimeException e) {
            System.err.println("fault suite: clearing faults failed: " + e);
        }
        stopClients();
        rig.close();
    }
}
