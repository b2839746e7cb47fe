package io.culvert.engine.server.route;

import java.util.Locale;

/**
 * Forwarding decisions (plus flow counting) per second on one thread, for a TUN and a TAP network of 200 clients.
 * Not a test: run {@code main} from the test classpath. Single-threaded.
 */
public final class ForwardingBenchmark {
    private ForwardingBenchmark() {}

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        measure("tun", NetworkFixture.tun(clients));
        measure("tap", NetworkFixture.tap(clients));
    }

    private static void measure(String name, NetworkFixture n) {
        long sum = 0;
        for (int i = 0; i < 2_000; i++) {
            sum += n.runOnce(i);
        }
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            long packets = 0;
            while (System.nanoTime() - start < 1_000_000_000L) {
                sum += n.runOnce(round);
                packets += n.packetsPerRun();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s, %d clients: %.1f M decisions/s (with flow counting)%n",
                    name, n.ids.size(), packets / seconds / 1e6);
        }
        System.out.println("checksum " + sum);
    }
}
