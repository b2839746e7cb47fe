package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Falling back UDP → TCP → WebSocket (issue 14, ADR 0047). One server with a UDP socket (1194), a TCP socket (1195) and
 * a WebSocket endpoint behind a real nginx ({@link NginxRig}, wss on 8443). One profile, as the user guide writes it:
 * three {@code <connection>} blocks, the WebSocket one with {@code setenv opt culvert-remote-websocket}. With UDP and TCP
 * to the server dropped by an nftables table the test creates in the client's namespace, {@code ./culvert client}
 * connects over WebSocket (its tunnel up) within 10 s of beginning to connect (its first log line; the JVM's start is
 * printed beside it), says why, and pings; with nothing blocked (and nothing remembered)
 * it uses UDP; and stock openvpn loads the same profile and connects over its UDP remote.
 */
@NetnsTest
@CulvertFeature
class TransportFallbackInteropTest {
    private static final Scenario UDP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final String TABLE = "culvert_test_fallback";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    void blockedUdpAndTcpFallBackToWebSocketAndOpenNetworksUseUdp(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 1, "local * 1194 udp", "local * 1195 tcp-server",
                "culvert-websocket 127.0.0.1:8081 /vpn", "culvert-websocket-trusted-proxy 127.0.0.1");
                NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), "/vpn",
                        "127.0.0.1", 8081)) {
            String server = rig.link(1).addrA();
            Path profile = fallbackProfile(rig, nginx.url());
            rig.startCulvertServer();
            Netns client = rig.clientNs(1);

            // nothing blocked, nothing remembered: UDP. First, so that the server is past its start (its warm-up ends
            // with its first tunnel) when the blocked client's start is timed: a server that is up and serving.
            try (OpenvpnProcess c = culvertClient(rig, profile, Files.createDirectories(dir.resolve("data-open")), "open")) {
                c.awaitInitialized(STARTUP);
                String log = c.log();
                assertTrue(log.contains("UDP link remote: " + server + ":1194"), () -> c.logTail(40));
                assertFalse(log.contains("Fell back:") || log.contains("WebSocket link"), () -> c.logTail(40));
                PingResult ping = client.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(ping.noLoss(), () -> ping.output() + "\n" + c.logTail(30));
                c.stop();
            }

            // UDP and TCP to the server dropped: WebSocket, within 10 s of the client's start
            client.exec(Duration.ofSeconds(10), "nft", "add table inet " + TABLE).orThrow("nft table");
            try {
                // the answers are dropped, as a firewall on the way drops them: nothing comes back, nothing is refused
                client.exec(Duration.ofSeconds(10), "nft", "add chain inet " + TABLE + " in { type filter hook input"
                        + " priority 0 ; }").orThrow("nft chain");
                client.exec(Duration.ofSeconds(10), "nft", "add rule inet " + TABLE + " in ip saddr " + server
                        + " udp sport 1194 drop").orThrow("nft udp");
                client.exec(Duration.ofSeconds(10), "nft", "add rule inet " + TABLE + " in ip saddr " + server
                        + " tcp sport 1195 drop").orThrow("nft tcp");
                Path blockedData = Files.createDirectories(dir.resolve("data-blocked"));
                // the clock starts when the client begins to connect (its first line, the transports it will try): in
                // the app that is pressing Connect, the engine already running; the process's own start (a JVM, seconds
                // on a loaded machine) is printed beside it
                long spawned = System.nanoTime();
                try (OpenvpnProcess c = culvertClient(rig, profile, blockedData, "blocked")) {
                    c.awaitLine("Transports to try:", STARTUP);
                    long begun = System.nanoTime();
                    c.awaitInitialized(STARTUP);
                    double seconds = (System.nanoTime() - begun) / 1e9;
                    double jvm = (begun - spawned) / 1e9;
                    String log = c.log();
                    assertTrue(log.contains("Fell back: UDP: no answer in 2 s; TCP: no connection in 2 s; using WebSocket"),
                            () -> c.logTail(40));
                    assertTrue(log.contains("WebSocket link remote: " + nginx.url()), () -> c.logTail(40));
                    PingResult ping = client.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                    assertTrue(ping.noLoss(), () -> ping.output() + "\n" + c.logTail(30));
                    // what the blocked transports cost, on the client's own clock (whole seconds), for the record
                    long blocked = between(log, "Transports to try:", "State CONNECTING (wss://");
                    System.out.printf("fallback to WebSocket: tunnel up %.1f s after the client began to connect, %.1f s after"
                            + " its process was started (UDP and TCP cost %d s of it; load %s)%n", seconds, seconds + jvm, blocked,
                            Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                    assertTrue(seconds < 10, () -> String.format("connected over WebSocket %.1f s after the client began to"
                            + " connect, not within 10 s%n%s", seconds, c.logTail(40)));
                    c.stop();
                }
                // the same network again: WebSocket is remembered and tried first
                try (OpenvpnProcess c = culvertClient(rig, profile, blockedData, "remembered")) {
                    c.awaitInitialized(STARTUP);
                    assertTrue(c.log().contains("(the first worked last on this network)"), () -> c.logTail(40));
                    assertFalse(c.log().contains("Fell back:"), () -> c.logTail(40));
                    c.stop();
                }
            } finally {
                client.exec(Duration.ofSeconds(10), "nft", "delete table inet " + TABLE);
            }

            // stock openvpn loads the same profile and connects over its UDP remote
            try (OpenvpnProcess stock = OpenvpnProcess.stock(client, profile, dir)) {
                stock.awaitInitialized(STARTUP);
                String log = stock.log();
                assertTrue(log.contains("Unrecognized option or missing or extra parameter(s) in [CONNECTION-OPTIONS]:2:"
                        + " culvert-remote-websocket"), () -> stock.logTail(40));
                assertTrue(log.contains("link remote: [AF_INET]" + server + ":1194"), () -> stock.logTail(40));
                PingResult ping = client.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(ping.noLoss(), () -> ping.output() + "\n" + stock.logTail(30));
                stock.stop();
            }
        }
    }

    /**
     * The user guide's profile, parsed by stock openvpn 2.6 and 2.7: both note the {@code setenv opt} line inside the
     * block and go on to dial the first block's UDP remote (nothing answers there; only the parsing is checked).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"2.6", "2.7"})
    void stockOpenvpnLoadsTheFallbackProfile(String version, @TempDir Path dir) throws Exception {
        Path bin = version.equals("2.7") ? Openvpn27.require() : StockOpenvpn.DEBIAN;
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path profile = dir.resolve("fallback.ovpn");
        Files.writeString(profile, "client\ndev null\nverb 4\nconnect-retry-max 1\nconnect-timeout 2\n"
                + "setenv opt culvert-websocket-ca " + pki.ca() + "\nca " + pki.ca() + "\ncert " + pki.clientCert()
                + "\nkey " + pki.clientKey() + "\n"
                + "<connection>\nremote 127.0.0.1 1199 udp\n</connection>\n"
                + "<connection>\nremote 127.0.0.1 1199 tcp\n</connection>\n"
                + "<connection>\nremote 127.0.0.1 1198 tcp\nsetenv opt culvert-remote-websocket wss://vpn.example/vpn\n"
                + "</connection>\n");
        try (Netns ns = Netns.create("fbstock")) {
            String log = ns.exec(Duration.ofSeconds(60), "timeout", "8", bin.toString(), "--config", profile.toString())
                    .output();
            assertTrue(log.contains("Unrecognized option or missing or extra parameter(s) in [CONNECTION-OPTIONS]:2:"
                    + " culvert-remote-websocket"), log);
            assertFalse(log.contains("Options error"), log);
            assertTrue(log.contains("Connection profiles [2]:"), log);
            assertTrue(log.contains("link remote: [AF_INET]127.0.0.1:1199"), log);
        }
    }

    /** Seconds between the log's first line containing {@code from} and its first containing {@code to}. */
    private static long between(String log, String from, String to) {
        return java.time.Duration.between(stamp(log, from), stamp(log, to)).toSeconds();
    }

    private static java.time.LocalDateTime stamp(String log, String text) {
        String line = log.lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + text + "' in the log:\n" + log));
        return java.time.LocalDateTime.parse(line.substring(0, 19).replace(' ', 'T'));
    }

    /** The rig's client profile with its remote replaced by the user guide's three blocks. */
    private static Path fallbackProfile(MultiClientRig rig, String url) throws Exception {
        String server = rig.link(1).addrA();
        String base = Files.readString(rig.clientConfig(1)).lines()
                .filter(l -> !l.startsWith("remote ") && !l.startsWith("proto ") && !l.startsWith("explicit-exit-notify"))
                .collect(Collectors.joining("\n", "", "\n"));
        Path profile = rig.dir().resolve("fallback.ovpn");
        Files.writeString(profile, base + "setenv opt culvert-websocket-ca " + rig.pki().ca() + "\n"
                + "<connection>\nremote " + server + " 1194 udp\n</connection>\n"
                + "<connection>\nremote " + server + " 1195 tcp\n</connection>\n"
                + "<connection>\nremote " + server + " 8443 tcp\nsetenv opt culvert-remote-websocket " + url
                + "\n</connection>\n");
        return profile;
    }

    /** {@code ./culvert client} with its own data folder (what it remembers), logging to {@code culvert-NAME.log}. */
    private static OpenvpnProcess culvertClient(MultiClientRig rig, Path profile, Path data, String name) {
        return OpenvpnProcess.command(rig.clientNs(1), rig.dir(), rig.dir().resolve("culvert-" + name + ".log"), "env",
                "XDG_DATA_HOME=" + data, OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                profile.toString());
    }
}
