package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * 200 Culvert clients join one Culvert server over loopback UDP and every one passes traffic both ways.
 *
 * <p>The server runs alone in a child JVM ({@link ScaleServerMain}: the plan comes from a stock server config
 * with a /16 subnet pool and {@code duplicate-cn}; its device answers pings); the clients run in this JVM with
 * in-memory devices. Each client injects an ICMP echo request into its device; the server decrypts it, routes it
 * to its device, the device answers, and the server routes the reply back to that client, whose device must
 * receive exactly the reply to its own request.
 *
 * <p>Memory per client: the server JVM uses SerialGC, so {@code System.gc()} is a full compacting collection and
 * used heap afterwards is the live set. It is read (minimum over five collections) after the first
 * {@value #WARM_UP} clients have connected and passed traffic, and again after all {@value #CLIENTS}; the difference
 * divided by the {@code CLIENTS - WARM_UP} clients in between is the server's marginal retained heap per connected
 * client (instance, TLS and data-channel state, tables), free of one-time costs (class initialisation, caches
 * that fill on the first handshake, JIT). Because no client lives in the server JVM, none of their memory is
 * counted. The figure is printed, not asserted; the test asserts function only.
 */
class ServerScaleTest {
    static final int CLIENTS = 200;
    static final int WARM_UP = 10;

    @Test
    @Timeout(180)
    void twoHundredClientsConnectAndPassTrafficBothWays(@TempDir Path dir) throws Exception {
        Object root = LoggerFactory.getLogger("io.culvert");
        ch.qos.logback.classic.Level before = null;
        if (root instanceof ch.qos.logback.classic.Logger l) {
            before = l.getLevel();
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try (ScaleRig rig = ScaleRig.start(dir, 256)) {
            ScaleRig.ServerStats empty = rig.serverStats();
            long t0 = System.nanoTime();
            rig.connect(WARM_UP, 50, Duration.ofSeconds(60));
            assertEquals(List.of(), rig.pingAll(Duration.ofSeconds(20)), "clients without an echo reply");
            ScaleRig.ServerStats warm = rig.serverStats();

            rig.connect(CLIENTS - WARM_UP, 50, Duration.ofSeconds(120));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(List.of(), rig.pingAll(Duration.ofSeconds(30)), "clients without an echo reply");
            ScaleRig.ServerStats full = rig.serverStats();

            assertEquals(0, empty.instances());
            assertEquals(CLIENTS, full.instances(), "connected instances");
            assertEquals(CLIENTS, full.created(), "instances allocated (none lost, none duplicated)");
            assertEquals(WARM_UP + CLIENTS, full.echoRequests(), "echo requests at the server device");
            assertEquals(CLIENTS, full.echoSources(), "distinct client addresses at the server device");
            assertEquals(0, full.otherPackets());
            long distinct = java.util.stream.IntStream.range(0, CLIENTS).mapToObj(rig::addressOf).distinct().count();
            assertEquals(CLIENTS, distinct, "every client has its own address");

            double perClient = (double) (full.heapUsed() - warm.heapUsed()) / (CLIENTS - WARM_UP);
            double average = (double) (full.heapUsed() - empty.heapUsed()) / CLIENTS;
            double rssPerClient = (double) (full.rss() - warm.rss()) / (CLIENTS - WARM_UP);
            System.out.printf(Locale.ROOT, "server scale: %d clients connected in %.1f s; server heap after full GC: "
                            + "%d B empty, %d B with %d, %d B with %d → %.0f B per client marginal (%.0f B average incl. "
                            + "one-time costs); RSS delta %.0f B per client%n", CLIENTS, connectSeconds, empty.heapUsed(),
                    warm.heapUsed(), WARM_UP, full.heapUsed(), CLIENTS, perClient, average, rssPerClient);
            assertTrue(perClient > 0, "the server retains something per client");
        } finally {
            if (root instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(before);
            }
        }
    }
}
