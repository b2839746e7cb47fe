package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code session-timeout} and {@code connect-timeout} against stock openvpn, timed side by side with a stock client
 * on the same profile: each must end (or move on) when stock does. Bounds: the timeouts are whole seconds and
 * openvpn checks its coarse timers once a second, so stock itself is up to a second late; the log is polled every
 * 100 ms; a loaded two-core machine adds up to a second more. So each time must be within {@link #SLACK} of the
 * configured value and of stock's.
 */
@NetnsTest
@ControlPlaneOnly
class TimeoutsInteropTest {
    private static final int SESSION_TIMEOUT = 6;
    private static final int CONNECT_TIMEOUT = 4;
    private static final Duration SLACK = Duration.ofMillis(2500);

    /**
     * Timed by each client's own log, from the push (where both count from: a push with {@code ping} restarts
     * openvpn's timers) to "Session timeout, exiting". The logs stamp whole seconds, so each must show N or N + 1
     * seconds (N - 1 when the push and the timeout straddle a second boundary the other way), and stock's coarse
     * once-a-second timer may add one more.
     */
    @Test
    void clientSessionEndsAfterSessionTimeoutAsStocksDoes(@TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "", "session-timeout " + SESSION_TIMEOUT + "\n")) {
            OpenvpnProcess stockClient = rig.startStockClient();
            stockClient.awaitLine("Session timeout, exiting", Duration.ofSeconds(SESSION_TIMEOUT + 10));
            long stock = seconds(stockClient.log(), "PUSH: Received control message", "Session timeout, exiting");
            stockClient.process().waitFor(20, TimeUnit.SECONDS);
            OpenvpnProcess culvert = rig.startCulvertClient();
            assertTrue(rig.pingServer(2).received() > 0, () -> culvert.logTail(20));
            assertTrue(culvert.process().waitFor(SESSION_TIMEOUT + 10, TimeUnit.SECONDS), () -> "still running:\n" + culvert.logTail(20));
            long ours = seconds(culvert.log(), "State ASSIGN_IP", "Session timeout, exiting");
            System.out.printf("session-timeout %d: from the push to the timeout, stock %d s, culvert %d s (whole-second log stamps)%n",
                    SESSION_TIMEOUT, stock, ours);
            assertEquals(0, culvert.process().exitValue(), "an exit, not a failure: " + culvert.logTail(20));
            assertTrue(stock >= SESSION_TIMEOUT - 1 && stock <= SESSION_TIMEOUT + 2, "stock: " + stock + " s");
            assertTrue(ours >= SESSION_TIMEOUT - 1 && ours <= SESSION_TIMEOUT + 1, () -> "culvert: " + ours + " s\n" + culvert.logTail(20));
            assertTrue(!culvert.log().contains("State RECONNECTING"), () -> "exits, does not reconnect:\n" + culvert.logTail(20));
        }
    }

    /** Seconds between the log stamps ("yyyy-MM-dd HH:mm:ss" at the line's start) of the first lines holding each marker. */
    private static long seconds(String log, String from, String to) {
        return java.time.Duration.between(stamp(log, from), stamp(log, to)).toSeconds();
    }

    private static java.time.LocalDateTime stamp(String log, String marker) {
        String line = log.lines().filter(l -> l.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + marker + "' in:\n" + log));
        return java.time.LocalDateTime.parse(line.substring(0, 19).replace(' ', 'T'));
    }

    @Test
    void culvertServerDropsAStockClientAfterSessionTimeout(@TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("t", scenario, dir, 1194,
                "session-timeout " + SESSION_TIMEOUT + "\n", "")) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess stock = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                PingResult ping = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 2);
                assertTrue(ping.received() > 0, () -> ping.output() + "\nserver:\n" + server.logTail(20) + "\nstock client:\n" + stock.logTail(20));
                server.awaitLine("Session timeout, exiting", Duration.ofSeconds(SESSION_TIMEOUT).plus(SLACK).plus(SLACK));
                // openvpn counts from the instance's creation, at the client's first packet: from the stock client's
                // "TLS: Initial packet" (the server's answer to it) to the server's line, both stamped by this host's clock
                long after = java.time.Duration.between(stamp(stock.log(), "TLS: Initial packet from"),
                        stamp(server.log(), "Session timeout, exiting")).toSeconds();
                System.out.printf("culvert server: instance closed by session-timeout %d, %d s after the client's first packet"
                        + " (whole-second log stamps)%n", SESSION_TIMEOUT, after);
                assertTrue(after >= SESSION_TIMEOUT - 1 && after <= SESSION_TIMEOUT + 1, () -> after + " s\n" + server.logTail(30));
                PingResult gone = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 2);
                assertTrue(!gone.noLoss() || !stock.isAlive(), () -> "the tunnel still answers:\n" + server.logTail(20));
            }
        }
    }

    @Test
    void silentRemoteIsLeftAfterConnectTimeoutAndTheNextTriedAtOnceAsStockDoes(@TempDir Path dir) throws Exception {
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            // a remote that swallows every packet: the first in the profile; the real server second
            rig.serverNs().exec(Duration.ofSeconds(5), "nft", "add table inet blackhole");
            rig.serverNs().exec(Duration.ofSeconds(5), "nft", "add chain inet blackhole in { type filter hook input priority 0 ; }");
            rig.serverNs().exec(Duration.ofSeconds(5), "nft", "add rule inet blackhole in udp dport 1195 drop");
            String profile = Files.readString(rig.clientConfig())
                    .replace("remote " + rig.serverAddr() + " " + InteropRig.PORT + "\n",
                            "remote " + rig.serverAddr() + " 1195\nremote " + rig.serverAddr() + " " + InteropRig.PORT + "\n")
                    + "connect-timeout " + CONNECT_TIMEOUT + "\n";
            assertTrue(profile.contains(" 1195\n"), profile);
            Path two = dir.resolve("two-remotes.ovpn");
            Files.writeString(two, profile);

            long t0 = System.nanoTime();
            OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), two, dir);
            stock.awaitLine("Server poll timeout", Duration.ofSeconds(CONNECT_TIMEOUT).plus(SLACK).plus(SLACK));
            long stockPoll = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            stock.awaitInitialized(Duration.ofSeconds(30));
            long stockUp = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            stock.stop();

            OpenvpnProcess culvert = OpenvpnProcess.command(rig.clientNs(), dir, dir.resolve("culvert-two.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", two.toString());
            try (culvert) {
                // from the first attempt's start, not the JVM's: openvpn starts its clock there too
                culvert.awaitLine("State CONNECTING", InteropRig.STARTUP);
                t0 = System.nanoTime();
                culvert.awaitLine("Server poll timeout, restarting", Duration.ofSeconds(CONNECT_TIMEOUT).plus(SLACK).plus(SLACK));
                long ourPoll = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                culvert.awaitInitialized(Duration.ofSeconds(30));
                long ourUp = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.printf("connect-timeout %d: stock gave up on the silent remote after %d ms, up after %d ms;"
                        + " culvert after %d ms, up after %d ms%n", CONNECT_TIMEOUT, stockPoll, stockUp, ourPoll, ourUp);
                // culvert's JVM start counts in its time; the poll timeout itself must not come early
                assertTrue(ourPoll >= CONNECT_TIMEOUT * 1000L - 300, "too early: " + ourPoll + " ms");
                assertTrue(ourPoll - stockPoll <= 2 * SLACK.toMillis(), () -> "culvert " + ourPoll + " ms vs stock " + stockPoll);
                // the next remote at once, without the connect-retry pause: its attempt starts in the poll timeout's second
                // (or the next, by the whole-second log stamps)
                assertTrue(culvert.log().contains("server poll timeout, next remote now"), () -> culvert.logTail(20));
                long pause = seconds(culvert.log(), "Server poll timeout, restarting",
                        "State CONNECTING (" + rig.serverAddr() + ":" + InteropRig.PORT);
                assertTrue(pause <= 1, () -> "paused " + pause + " s before the next remote:\n" + culvert.logTail(20));
                assertTrue(rig.pingServer(2).noLoss(), () -> culvert.logTail(20));
            }
        }
    }
}
