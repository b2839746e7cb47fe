package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.Pairing;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 15 % of the frames on the link are dropped at random, both directions (nftables {@code numgen} on each veth's
 * ingress). TCP through a Culvert↔Culvert tunnel must not collapse: it moves at least a quarter of what an
 * openvpn↔openvpn tunnel moves through the same link in the same test (the best of three alternating rounds each). Collapse used to come from outer IP
 * fragmentation (each lost fragment costs the whole datagram, and half-reassembled datagrams pile up in the kernel's
 * reassembly queue), and later from UDP GSO trains lost whole — a veth carries a train as one packet, which the rule
 * drops at once, and the server's socket dropped whole GRO trains at the kernel's default receive buffer
 * (0.07–0.21×); the session stays up throughout. The median, not the mean: on a loaded two-core machine one
 * four-second round with a Culvert client now and then stalls for seconds in TCP retransmission back-off (seen on main
 * and on this branch, Culvert↔Culvert and Culvert client↔stock server, 0.5–60 Mbit/s against 200–400 in the rounds
 * around it; the cause is open, issue 10), and one such round must not decide; a collapse as before the fixes stalls
 * every round.
 */
@NetnsTest
@org.junit.jupiter.api.parallel.Isolated("compares throughput with a stock pair measured in the same test")
@ThroughputRatio
class RandomLossInteropTest {
    private static final int PORT = 1194;
    private static final int LOSS_PERCENT = 15;
    private static final int SECONDS = 4;
    private static final int ROUNDS = 3;
    /**
     * Collapse measured 0.03–0.05× before the fix; healthy runs measured 0.48–0.66× in these 4-second runs on a shared
     * 2-core machine (1.4× in 10-second runs of engine/bench/loss-bench.sh), so a quarter separates the two without
     * flaking.
     */
    private static final double MIN_RATIO = 0.25;

    @Test
    void culvertPairKeepsUpWithStockUnderRandomLoss(@TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("rl", scenario, dir, PORT)) {
            Path culvert = OpenvpnProcess.repoRoot().resolve("culvert");
            // Alternating A B A B, so that load from elsewhere on the machine hits both pairs alike.
            double[] stockRounds = new double[ROUNDS];
            double[] ourRounds = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                stockRounds[round] = measure(Pairing.STOCK_STOCK, culvert, hosts, dir);
                ourRounds[round] = measure(Pairing.CULVERT_CULVERT, culvert, hosts, dir);
            }
            // The best round of each: a collapse (as before the fixes) holds every round down, while one round of a
            // healthy pair can stall for seconds in TCP back-off — CI saw Culvert↔Culvert rounds of [31.9, 0.9, 611]
            // Mbit/s against stock's [454, 531, 117] on an otherwise idle machine; the stalls are issue 10's, open.
            double stock = best(stockRounds);
            double ours = best(ourRounds);
            String report = String.format(Locale.ROOT, "%d %% loss: Culvert↔Culvert %.1f Mbit/s, openvpn↔openvpn %.1f Mbit/s (%.2f×),"
                    + " best of %s and %s", LOSS_PERCENT, ours, stock, ours / stock, java.util.Arrays.toString(ourRounds),
                    java.util.Arrays.toString(stockRounds));
            System.out.println("random loss: " + report);
            assertTrue(stock > 1, () -> "the stock pair moved nothing, so the link is broken: " + report);
            assertTrue(ours >= MIN_RATIO * stock, report);
        }
    }

    private static double best(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }

    private static double measure(Pairing pairing, Path culvert, TwoHosts hosts, Path dir) {
        Netns srv = hosts.srv();
        Netns cli = hosts.cli();
        VethLink link = hosts.link();
        LinkFaults.loss(srv, cli, link, 0);
        try (TunnelPair pair = TunnelPair.start(pairing, culvert, srv, cli, hosts.serverConf(), hosts.clientConf(), dir, pairing.name() + "-" + System.nanoTime())) {
            // A short clean run first: a JVM end's packet path runs interpreted for its first few thousand packets,
            // and this test is about loss, not JIT warm-up; the stock pair gets the same.
            Iperf3.run(srv, cli, dir, 2, false).receivedMbit();
            LinkFaults.loss(srv, cli, link, LOSS_PERCENT);
            double mbit = Iperf3.run(srv, cli, dir, SECONDS, false).receivedMbit();
            LinkFaults.loss(srv, cli, link, 0);
            long ups = pair.client().log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
            assertTrue(ups == 1, () -> pairing.label() + ": the client reconnected under loss:\n" + pair.client().logTail(40));
            return Double.isNaN(mbit) ? 0 : mbit;
        }
    }
}
