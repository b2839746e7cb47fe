package io.culvert.engine.bench;

import io.culvert.engine.it.FaultSuite;
import io.culvert.engine.it.FaultSuite.Cell;
import io.culvert.engine.it.FaultSuite.Fault;
import io.culvert.engine.it.Pairing;
import io.culvert.engine.it.NetnsCondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The long variant of the fault-injection suite ({@link FaultSuite}): every fault against every pairing of Culvert
 * and stock openvpn 2.6 ends, each throughput run {@code --seconds} long (default 12), three handshakes under each
 * loss rate, then the table {@code condition | Culvert↔Culvert | Culvert↔stock | stock↔Culvert | stock↔stock}.
 * Exits 1 when a Culvert cell is below {@code 0.8×} the stock↔stock cell of its row, or recovers more than 5 s
 * later, or completes fewer handshakes, or restarts where stock did not. Run by {@code engine/bench/fault-suite.sh}.
 * Single-threaded.
 */
public final class FaultSuiteBenchmark {
    private static final double ON_PAR = 0.8;
    private static final double RECOVERY_SLACK_SECONDS = 5;

    private FaultSuiteBenchmark() { }

    public static void main(String[] args) throws Exception {
        int seconds = FaultSuite.Timing.LONG.throughputSeconds();
        int trials = FaultSuite.Timing.LONG.handshakeTrials();
        List<Fault> faults = List.of(Fault.values());
        List<Pairing> pairings = List.of(Pairing.values());
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--trials" -> trials = Integer.parseInt(value);
                case "--faults" -> faults = Arrays.stream(value.split(",")).map(s -> Fault.valueOf(s.strip())).toList();
                case "--pairings" -> pairings = Arrays.stream(value.split(",")).map(s -> Pairing.valueOf(s.strip())).toList();
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        List<String> missing = NetnsCondition.missing("iperf3", "ping", "nft");
        if (!missing.isEmpty()) {
            usage("cannot run: " + String.join("; ", missing));
        }
        FaultSuite.Timing timing = new FaultSuite.Timing(seconds, trials, FaultSuite.Timing.LONG.interfaceDown(),
                FaultSuite.Timing.LONG.throughputRuns());
        Path dir = Files.createTempDirectory("cvt-fault-suite-");
        System.out.println("fault suite: " + timing + ", logs in " + dir);
        long start = System.nanoTime();
        Map<Fault, Map<Pairing, Cell>> table;
        try (FaultSuite suite = FaultSuite.create(dir, timing)) {
            table = suite.runAll(faults, pairings);
        }
        System.out.println();
        System.out.print(FaultSuite.format(table, pairings));
        if (!pairings.contains(Pairing.STOCK_STOCK)) {
            System.out.println("\nno stock↔stock column to compare with");
            System.exit(0);
        }
        List<String> below = belowStock(table);
        System.out.printf("%nCulvert on par with stock↔stock (throughput ≥ %.1f×, recovery ≤ +%.0f s, as many handshakes, no extra"
                + " restarts): %s%n", ON_PAR, RECOVERY_SLACK_SECONDS, below.isEmpty() ? "every row" : "NOT in " + below.size() + " cells");
        below.forEach(b -> System.out.println("  " + b));
        System.out.printf("total %.0f s%n", (System.nanoTime() - start) / 1e9);
        System.exit(below.isEmpty() ? 0 : 1);
    }

    /** The Culvert cells that fall short of the stock↔stock cell of the same row. */
    static List<String> belowStock(Map<Fault, Map<Pairing, Cell>> table) {
        return table.entrySet().stream().flatMap(row -> {
            Cell stock = row.getValue().get(Pairing.STOCK_STOCK);
            return row.getValue().values().stream().filter(c -> c.pairing() != Pairing.STOCK_STOCK && stock != null)
                    .map(c -> shortfall(c, stock)).filter(s -> !s.isEmpty())
                    .map(s -> row.getKey().label() + ", " + s);
        }).toList();
    }

    private static String shortfall(Cell c, Cell stock) {
        StringBuilder s = new StringBuilder();
        if (c.mbit() < ON_PAR * stock.mbit()) {
            s.append(String.format("throughput %.1f vs %.1f Mbit/s; ", c.mbit(), stock.mbit()));
        }
        if (c.handshakes() * stock.attempts() < stock.handshakes() * c.attempts()) {
            s.append(String.format("handshakes %d/%d vs %d/%d; ", c.handshakes(), c.attempts(), stock.handshakes(), stock.attempts()));
        }
        if (!Double.isNaN(stock.recoverySeconds()) && !(c.recoverySeconds() <= stock.recoverySeconds() + RECOVERY_SLACK_SECONDS)) {
            s.append(String.format("recovery %.1f vs %.1f s; ", c.recoverySeconds(), stock.recoverySeconds()));
        }
        if (c.restarts() > stock.restarts()) {
            s.append(String.format("%d restarts vs %d; ", c.restarts(), stock.restarts()));
        }
        return s.isEmpty() ? "" : c.pairing().label() + ": " + s.toString().strip();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: fault-suite.sh [--seconds N] [--trials N] [--faults " + String.join(",",
                Arrays.stream(Fault.values()).map(Enum::name).toList())
                + "] [--pairings " + String.join(",", Arrays.stream(Pairing.values()).map(Enum::name).toList()) + "]");
        System.exit(2);
    }
}
