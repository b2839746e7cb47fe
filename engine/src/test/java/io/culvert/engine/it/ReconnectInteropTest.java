package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stock openvpn 2.6 server dies or stops under a connected {@code ./culvert client}, and comes back with the
 * same config: the client reconnects and passes traffic again, without leaking threads or descriptors.
 *
 * <p>Bounds. The server runs {@code keepalive 2 10}, so it pushes {@code ping 2, ping-restart 10}. After a SIGKILL
 * a UDP client notices only through silence: ping-restart 10 s, then connect-retry 1 s (the first retry after a
 * working connection), then the handshake (about 1 s here): about 12 s; a TCP client sees the connection close at
 * once and retries with 1, 2, 4 s backoff while the server is down (one cycle keeps it down for 4 s: back after
 * about 7 s). {@link #RECONNECT_BOUND} is that 12 s plus
 * 13 s of margin for a loaded two-core machine. A graceful stop with server-side {@code explicit-exit-notify}
 * sends RESTART, which the client must act on at once ({@link #RESTART_NOTICE_BOUND}) rather than after
 * ping-restart.
 *
 * <p>Threads are counted by role, by the name the kernel shows: one link reader and one device reader after every
 * reconnect, and no name more often than after the first reconnect. The JVM's one warm-up thread may be there too (it
 * ends when the first tunnel comes up, but on a loaded machine it may still be finishing its round).
 */
@NetnsTest
class ReconnectInteropTest {
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(25);
    private static final Duration RESTART_NOTICE_BOUND = Duration.ofSeconds(3);
    private static final int CYCLES = 3;
    private static final Duration DOWNTIME = Duration.ofSeconds(4);
    /** Thread names by role (ClientRunner, Warmup), as /proc shows them: cut to 15 bytes. */
    private static final String LINK_READER = "culvert-link-rx";
    private static final String DEVICE_READER = "culvert-tun-rx-";
    private static final String WARMUP = "culvert-warmup";

    static Stream<Scenario> scenarios() {
        return Stream.of(Scenario.UDP_TLS_CRYPT_GCM, new Scenario("tcp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void clientComesBackAfterServerIsKilledAndRestarted(Scenario scenario, @TempDir Path dir) throws Exception {
        List<OpenvpnProcess> servers = new ArrayList<>();
        try (InteropRig rig = InteropRig.start(scenario, dir)) {
            OpenvpnProcess server = rig.server();
            OpenvpnProcess client = rig.startCulvertClient();
            assertPings(rig, client);
            long pid = client.process().pid();
            Resources afterFirst = null;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                long killedAt = System.nanoTime();
                killHard(server);
                if (cycle == 2) {
                    // Stay down a while: a TCP client meets "connection refused" and must keep retrying,
                    // with the device and routes of the lost connection gone in between.
                    Thread.sleep(DOWNTIME.toMillis());
                    if (scenario.proto().equals("tcp")) {
                        assertEquals(0, countTunDevices(rig), "tun device kept while disconnected");
                        String routes = rig.clientNs().exec(Duration.ofSeconds(5), "ip", "route").output();
                        assertTrue(!routes.contains("10.77.0."), () -> "tunnel routes kept while disconnected:\n" + routes);
                    }
                }
                server = start(rig, rig.serverConfig(), servers);
                long millis = awaitReady(client, cycle + 1, killedAt, RECONNECT_BOUND);
                assertPings(rig, client);
                assertTrue(client.isAlive(), () -> client.logTail(30));
                Resources now = Resources.of(pid);
                System.out.printf("reconnect %s cycle %d: back in %d ms, %s%n", scenario, cycle, millis, now);
                assertEquals(1, now.threads(LINK_READER), () -> "one link reader expected: " + now + "\n" + client.logTail(30));
                assertEquals(1, now.threads(DEVICE_READER), () -> "one device reader expected: " + now + "\n" + client.logTail(30));
                assertTrue(now.threads(WARMUP) <= 1, () -> "at most the one warm-up of the JVM: " + now);
                if (afterFirst == null) {
                    afterFirst = now;
                } else {
                    Resources first = afterFirst;
                    assertEquals(afterFirst.fds(), now.fds(), "descriptors leak across reconnects: " + afterFirst + " -> " + now);
                    now.threadsByName().forEach((name, n) -> assertTrue(n <= first.threads(name),
                            () -> "threads leak across reconnects (" + name + "): " + first + " -> " + now));
                }
            }
            assertEquals(1, countTunDevices(rig), () -> "stale tun device left behind:\n" + rig.clientNs().exec(Duration.ofSeconds(5), "ip", "link").output());
            if (scenario.proto().equals("tcp")) {
                assertTrue(client.log().contains("Connection lost"), () -> client.logTail(40));
                assertTrue(client.log().contains("Connection refused"), () -> client.logTail(40));
            } else {
                assertTrue(client.log().contains("KEEPALIVE_TIMEOUT"), () -> client.logTail(40));
            }
            client.stop();
            assertEquals(0, client.process().exitValue(), () -> client.logTail(20));
        } finally {
            servers.forEach(OpenvpnProcess::close);
        }
    }

    @Test
    void udpClientReconnectsPromptlyWhenServerExitsWithExplicitExitNotify(@TempDir Path dir) throws Exception {
        List<OpenvpnProcess> servers = new ArrayList<>();
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            Path notifyingConfig = dir.resolve("server-een.conf");
            Files.writeString(notifyingConfig, Files.readString(rig.serverConfig()) + "explicit-exit-notify 1\n");
            rig.server().stop();
            OpenvpnProcess server = start(rig, notifyingConfig, servers);
            OpenvpnProcess client = rig.startCulvertClient();
            assertPings(rig, client);

            long stoppedAt = System.nanoTime();
            server.process().destroy(); // SIGTERM: the server sends RESTART to its clients, then exits
            long noticed = awaitLog(client, "server sent RESTART", stoppedAt, RESTART_NOTICE_BOUND);
            assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "server did not exit on SIGTERM");
            assertTrue(server.log().contains("SIGTERM"), () -> server.logTail(20));
            start(rig, notifyingConfig, servers);
            long back = awaitReady(client, 2, stoppedAt, RECONNECT_BOUND);
            System.out.printf("reconnect after RESTART: noticed in %d ms, back in %d ms%n", noticed, back);
            assertPings(rig, client);
            assertTrue(!client.log().contains("KEEPALIVE_TIMEOUT"), () -> "client waited for ping-restart:\n" + client.logTail(40));
        } finally {
            servers.forEach(OpenvpnProcess::close);
        }
    }

    private static OpenvpnProcess start(InteropRig rig, Path config, List<OpenvpnProcess> servers) {
        OpenvpnProcess server = OpenvpnProcess.stock(rig.serverNs(), config, rig.dir());
        servers.add(server);
        return server.awaitInitialized(InteropRig.STARTUP);
    }

    /** SIGKILL, so the server sends nothing on the way out (the kernel still closes its TCP connections). */
    private static void killHard(OpenvpnProcess server) throws InterruptedException {
        server.process().toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        server.process().destroyForcibly();
        assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "server survived SIGKILL");
    }

    /** Five pings without loss; one retry, because on a loaded machine a ping right after the reconnect can be late. */
    private static void assertPings(InteropRig rig, OpenvpnProcess client) throws InterruptedException {
        PingResult first = rig.pingServer(5);
        if (first.noLoss()) {
            return;
        }
        Thread.sleep(1000);
        PingResult ping = rig.pingServer(5);
        assertTrue(ping.noLoss(), () -> "pings lost twice:\n" + first.output() + "\n" + ping.output() + "\nclient log:\n"
                + client.logTail(40));
    }

    /** Waits for the {@code n}-th "Initialization Sequence Completed"; returns milliseconds since {@code since}. */
    private static long awaitReady(OpenvpnProcess client, int n, long since, Duration bound) throws InterruptedException {
        return await(client, OpenvpnProcess.READY, n, since, bound);
    }

    private static long awaitLog(OpenvpnProcess client, String text, long since, Duration bound) throws InterruptedException {
        return await(client, text, 1, since, bound);
    }

    private static long await(OpenvpnProcess client, String text, int n, long since, Duration bound) throws InterruptedException {
        while (true) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (client.log().lines().filter(l -> l.contains(text)).count() >= n) {
                return elapsed;
            }
            if (!client.isAlive() || elapsed > bound.toMillis()) {
                throw new AssertionError("client: no '" + text + "' #" + n + " within " + bound + " (alive=" + client.isAlive()
                        + "); log tail:\n" + client.logTail(40));
            }
            Thread.sleep(50);
        }
    }

    private static long countTunDevices(InteropRig rig) {
        return rig.clientNs().exec(Duration.ofSeconds(5), "ip", "-o", "link", "show", "type", "tun").output().lines()
                .filter(l -> !l.isBlank()).count();
    }

    /**
     * Open descriptors and the Culvert threads of one process by name as the kernel shows it ({@code comm}, the first
     * 15 bytes: one name per role, e.g. {@value #DEVICE_READER} for any device).
     */
    private record Resources(long fds, Map<String, Long> threadsByName) {
        static Resources of(long pid) throws IOException {
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = s.count();
            }
            Map<String, Long> threads = new TreeMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks.toList()) {
                    try {
                        String name = Files.readString(t.resolve("comm")).strip();
                        if (name.startsWith("culvert-")) {
                            threads.merge(name, 1L, Long::sum);
                        }
                    } catch (IOException gone) {
                        // the thread ended while we looked
                    }
                }
            }
            return new Resources(fds, threads);
        }

        long threads(String name) {
            return threadsByName.getOrDefault(name, 0L);
        }
    }
}
