package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.Pairing;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 15 % of the datagrams on the link are dropped at random, both directions (nftables {@code numgen} on each veth's
 * ingress). TCP through a Culvert↔Culvert tunnel must not collapse: it moves at least a quarter of what an
 * openvpn↔openvpn tunnel moves through the same link in the same test (the best of three alternating rounds each).
 *
 * <p>The loss is per datagram, as on a real wire: {@link LinkFaults#loss} makes each veth end segment a UDP GSO train
 * before it sends it ({@code gso_max_segs 1}, what a NIC does before the wire), and the test fails if the rule sees a
 * packet longer than the MTU. A veth otherwise hands a whole train to its peer as one packet, and one random drop took
 * 9–13 of Culvert's datagrams on average (13,068–19,971 bytes a drop, against 1,491 for stock openvpn, which sends no
 * trains), which no wire does. Per datagram this test read 0.70–1.55× with offloads on and 0.79–1.10× with them off,
 * per train 0.82–1.54× with rounds down to 9.9 Mbit/s, on a shared machine at load 10–26 (issue 10, ADR 0039;
 * engine/bench/loss-bench.sh {@code --wire per-train} reproduces the old emulation).
 *
 * <p>Collapse used to come from outer IP fragmentation (each lost fragment costs the whole datagram, and
 * half-reassembled datagrams pile up in the kernel's reassembly queue), and later from the server's socket dropping
 * whole GRO trains at the kernel's default receive buffer (0.15×); the session stays up throughout. The best round, not
 * the median: on a loaded two-core machine one four-second round of a healthy pair can stall for seconds in TCP
 * retransmission back-off (CI read Culvert↔Culvert [31.9, 0.9, 611] Mbit/s against stock's [454, 531, 117]; with
 * per-datagram loss such rounds of 18–21 Mbit/s came with offloads on and off alike); a collapse holds every round
 * down.
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
     * 2-core machine (1.4× in 10-second runs of engine/bench/loss-bench.sh), and 0.70–1.55× once the loss was per
     * datagram, so a quarter separates the two without flaking.
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
            // The best round of each: a collapse holds every round down, while one round of a healthy pair can stall
            // for seconds in TCP back-off (see the class comment).
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
            LinkFaults.Dropped atServer = LinkFaults.dropped(srv);
            LinkFaults.Dropped atClient = LinkFaults.dropped(cli);
            LinkFaults.loss(srv, cli, link, 0);
            System.out.printf(Locale.ROOT, "random loss: %s %.1f Mbit/s; dropped into the server %d packets (%d bytes a drop),"
                    + " into the client %d; trains on the link %d%n", pairing.label(), mbit, atServer.packets(),
                    atServer.packets() == 0 ? 0 : atServer.bytes() / atServer.packets(), atClient.packets(),
                    atServer.trains() + atClient.trains());
            // Each drop takes one datagram, as on a wire (ADR 0039): a train the loss rule saw would be lost whole.
            assertTrue(atServer.trains() + atClient.trains() == 0, () -> pairing.label() + ": the loss rule saw "
                    + (atServer.trains() + atClient.trains()) + " UDP GSO trains on the link, so it dropped trains, not datagrams");
            long ups = pair.client().log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
            assertTrue(ups == 1, () -> pairing.label() + ": the client reconnected under loss:\n" + pair.client().logTail(40));
            return Double.isNaN(mbit) ? 0 : mbit;
        }
    }
}
