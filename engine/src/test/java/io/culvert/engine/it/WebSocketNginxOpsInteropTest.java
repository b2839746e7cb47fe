package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.transport.websocket.WebSocketTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running OpenVPN over WebSocket behind a real nginx ({@link NginxRig}, the admin guide's location block; issue 14):
 * nginx restarted mid-transfer, an idle tunnel behind nginx's default 60 s {@code proxy_read_timeout}, and wss through
 * an HTTP CONNECT proxy on the way. Server: {@code ./culvert server} with {@code culvert-websocket 127.0.0.1:8081 /vpn};
 * client: {@code ./culvert client} whose profile has only the {@code culvert-remote-websocket} remote.
 */
@NetnsTest
@CulvertFeature
class WebSocketNginxOpsInteropTest {
    private static final Scenario UDP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final String[] WS_SERVER = {"culvert-websocket 127.0.0.1:8081 /vpn",
        "culvert-websocket-trusted-proxy 127.0.0.1"};
    /** What the client logs each time it has a link over WebSocket. */
    private static final String WS_LINK = "WebSocket link remote: ";
    private static final String PROXY_NAME = "vpn.culvert.test";
    /** What the proxy case moves (as {@link WebSocketNginxInteropTest}'s direct case). */
    private static final int MEGABYTES = Integer.getInteger("culvert.ws.megabytes", 50);

    /**
     * A download slowed to 1 MB/s and a ping every 0.2 s run while nginx is stopped ({@code nginx -s stop}: every
     * connection closed at once) and started again. The client notices the lost connection itself (not by its 10 s
     * ping-restart), dials the WebSocket remote again and completes a new session; the download in flight completes
     * with the right digest, the pings resume, and a second download completes.
     */
    @Test
    void theClientReconnectsByItselfWhenNginxRestartsMidTransfer(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 1, WS_SERVER);
                NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), "/vpn",
                        "127.0.0.1", 8081)) {
            webSocketProfile(rig, nginx.url(), "");
            rig.startCulvertServer();
            OpenvpnProcess client = rig.startCulvertClient(1);
            PingResult before = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(before.noLoss(), () -> before.output() + "\n" + client.logTail(30));
            String[] site = site(rig, dir, 20);
            Path during = dir.resolve("during.sha");
            Process download = rig.clientNs(1).spawn(dir.resolve("during.log"), "sh", "-c",
                    "curl -sS -m 400 --limit-rate 1M " + site[0] + " | sha256sum > " + during);
            Process pings = rig.clientNs(1).spawn(dir.resolve("pings.log"), "ping", "-i", "0.2", "-W", "2", "-c", "200",
                    Scenario.SERVER_TUNNEL_ADDR);
            Thread.sleep(5000);
            assertTrue(download.isAlive(), "the download is still running when nginx stops");

            nginx.stop();
            nginx.start();
            awaitCount(client, WS_LINK, 2, Duration.ofSeconds(90));
            awaitCount(client, OpenvpnProcess.READY, 2, Duration.ofSeconds(90));
            assertTrue(pings.waitFor(120, TimeUnit.SECONDS), "ping did not finish");
            PingResult across = PingResult.parse(Files.readString(dir.resolve("pings.log")), 200);
            assertTrue(download.waitFor(420, TimeUnit.SECONDS), "the download in flight did not finish");
            assertEquals(site[1], Files.readString(during).strip().split("\\s+")[0],
                    () -> "the download in flight arrives whole\n" + client.logTail(40));
            PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(after.noLoss(), () -> after.output() + "\n" + client.logTail(30));
            ExecResult second = rig.clientNs(1).exec(Duration.ofSeconds(300), "sh", "-c",
                    "curl -sS -m 290 " + site[0] + " | sha256sum");
            assertEquals(site[1], second.output().strip().split("\\s+")[0], second::output);

            String log = client.log();
            assertTrue(log.contains("Connection lost"), () -> "the client saw the connection end:\n" + client.logTail(40));
            assertFalse(log.contains("KEEPALIVE_TIMEOUT"), () -> "the client waited for ping-restart:\n" + client.logTail(40));
            assertEquals(2, count(log, WS_LINK + nginx.url()), () -> client.logTail(40));
            assertTrue(across.received() > 30 && across.received() < across.transmitted(),
                    () -> "pings lost while nginx was down, answered before and after:\n" + across.output());
            System.out.printf("nginx restarted mid-transfer: %d of %d pings (every 0.2 s) lost; 20 MB in flight and"
                    + " a second 20 MB arrived whole%n", across.transmitted() - across.received(), across.transmitted());
        }
    }

    /**
     * With nginx's default timeouts ({@code proxy_read_timeout 60s}, as the snippet writes it), no OpenVPN keepalive on
     * either end and IPv6 off in every namespace (a TUN device's router solicitations and MLD reports would otherwise
     * cross the tunnel now and then and keep nginx's connection busy), client 1's tunnel is idle for 3 minutes: its
     * TUN device moves not one packet, so only the WebSocket pings (every 20 s from each end) cross nginx. Then a ping
     * passes, the client never lost or redialled its connection, and nginx timed nothing out. The negative control
     * runs meanwhile: client 2, idle the same way behind a second nginx whose {@code proxy_read_timeout} (10 s) is
     * shorter than the ping interval, loses its connection to nginx's timeout ("upstream timed out ... while proxying
     * upgraded connection") and redials: without a ping inside nginx's timeout the tunnel is closed.
     */
    @Test
    void anIdleTunnelOutlivesNginxsDefaultTimeoutsForThreeMinutes(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 2, WS_SERVER)) {
            rig.sysctlEverywhere("net.ipv6.conf.all.disable_ipv6", "1");
            rig.sysctlEverywhere("net.ipv6.conf.default.disable_ipv6", "1");
            try (NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), "/vpn",
                    "127.0.0.1", 8081);
                    NginxRig shortTimeout = NginxRig.start(rig.serverNs(), Files.createDirectories(dir.resolve("short")),
                            rig.pki(), rig.link(2).addrA(), 8443, "/vpn", io.culvert.engine.api.NginxSnippet
                                    .location("/vpn", "127.0.0.1", 8081)
                                    .replace("proxy_read_timeout 60s;", "proxy_read_timeout 10s;"), "", "")) {
                assertTrue(Files.readString(nginx.config()).contains("proxy_read_timeout 60s;"), "nginx's default timeout");
                assertTrue(Files.readString(shortTimeout.config()).contains("proxy_read_timeout 10s;"), "the control's");
                assertTrue(WebSocketTransport.PING_INTERVAL.toSeconds() > 10 && WebSocketTransport.PING_INTERVAL
                        .toSeconds() < 60, "the pings fall between the two timeouts");
                String server = Files.readString(rig.serverConfig());
                assertTrue(server.contains("keepalive 2 10\n"), server);
                Files.writeString(rig.serverConfig(), server.replace("keepalive 2 10\n", ""));
                for (int i = 1; i <= 2; i++) {
                    webSocketProfile(rig, i, (i == 1 ? nginx : shortTimeout).url(), "");
                    String profile = Files.readString(rig.clientConfig(i));
                    assertTrue(profile.contains("ping-restart 10\n"), profile);
                    Files.writeString(rig.clientConfig(i), profile.replace("ping-restart 10\n", ""));
                }

                rig.startCulvertServer();
                OpenvpnProcess client = rig.startCulvertClient(1);
                OpenvpnProcess control = rig.startCulvertClient(2);
                PingResult first = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(first.noLoss(), () -> first.output() + "\n" + client.logTail(30));
                PingResult firstControl = rig.clientNs(2).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(firstControl.noLoss(), () -> firstControl.output() + "\n" + control.logTail(30));
                String tun = tunDevice(rig.clientNs(1));
                DeviceCounters before = DeviceCounters.read(rig.clientNs(1), tun);
                long idleStart = System.nanoTime();

                // the control: closed by nginx's 10 s timeout, then redialled
                awaitCount(control, "Connection lost", 1, Duration.ofSeconds(90));
                assertTrue(shortTimeout.errorLog().contains("upstream timed out (110: Connection timed out) while proxying"
                        + " upgraded connection"), shortTimeout::logs);
                long controlSeconds = (System.nanoTime() - idleStart) / 1_000_000_000;
                control.stop();

                Thread.sleep(Math.max(0, Duration.ofMinutes(3).toMillis() - (System.nanoTime() - idleStart) / 1_000_000));

                DeviceCounters idle = DeviceCounters.read(rig.clientNs(1), tun).minus(before);
                assertEquals(0, idle.rxPackets() + idle.txPackets(), () -> "the tunnel carried packets while idle: " + idle);
                PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                String log = client.log();
                assertTrue(after.noLoss(), () -> after.output() + "\n" + client.logTail(30) + "\n" + nginx.logs());
                assertEquals(1, count(log, WS_LINK), () -> "one WebSocket connection, never redialled:\n" + client.logTail(40));
                assertFalse(log.contains("Connection lost"), () -> client.logTail(40));
                assertEquals(1, count(log, OpenvpnProcess.READY), () -> client.logTail(40));
                assertFalse(nginx.errorLog().contains("timed out"), nginx::logs);
                // nginx writes an upgraded request's access line when the connection ends: none yet
                assertFalse(nginx.accessLog().contains("/vpn"), nginx::accessLog);
                System.out.printf("idle 3 min behind nginx's 60 s proxy_read_timeout: one connection, %s on the TUN"
                        + " device; ping %.2f ms. Control behind a 10 s proxy_read_timeout: closed by nginx within"
                        + " %d s%n", idle, after.avgRttMillis(), controlSeconds);
            }
        }
    }

    /** The TUN device holding a 10.77.0.x address in {@code ns}. */
    private static String tunDevice(Netns ns) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet 10\\.77\\.", java.util.regex.Pattern.MULTILINE)
                .matcher(ns.exec(Duration.ofSeconds(10), "ip", "-o", "-4", "addr", "show").orThrow("ip addr").output());
        if (!m.find()) {
            throw new AssertionError("no 10.77.0.x device");
        }
        return m.group(1);
    }

    /**
     * The client reaches nginx only through an HTTP CONNECT proxy ({@link TestProxy}, Basic authentication): the
     * WebSocket URL names a host only the proxy can resolve. It pings, moves 50 MB through proxy, nginx and server
     * (sha256 checked, as the direct case), and the server's status shows the address nginx saw: the proxy's.
     */
    @Test
    void wssThroughAnHttpConnectProxy(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 1, WS_SERVER);
                NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), PROXY_NAME, rig.link(1).addrA(), 8443,
                        "/vpn", "127.0.0.1", 8081, "")) {
            String front = rig.link(1).addrA();
            Path proxyLog = dir.resolve("proxy.log");
            TestProxy.start(rig.serverNs(), proxyLog, front, 8080, 1080, "alice", "proxy-s3cret",
                    PROXY_NAME + "=" + front);
            for (int i = 0; i < 300 && !(Files.exists(proxyLog) && Files.readString(proxyLog).contains("LISTENING")); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(proxyLog).contains("LISTENING"), () -> "test proxy did not start");
            Path auth = dir.resolve("proxy-auth.txt");
            Files.writeString(auth, "alice\nproxy-s3cret\n");
            String url = "wss://" + PROXY_NAME + ":8443/vpn";
            webSocketProfile(rig, url, "http-proxy " + front + " 8080 " + auth + " basic\n");

            rig.startCulvertServer();
            OpenvpnProcess client = rig.startCulvertClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(ping.noLoss(), () -> ping.output() + "\n" + client.logTail(30) + "\n" + rig.serverLogTail(20));
            String[] site = site(rig, dir, MEGABYTES);
            long start = System.nanoTime();
            ExecResult download = rig.clientNs(1).exec(Duration.ofSeconds(600), "sh", "-c",
                    "curl -sS -m 590 " + site[0] + " | sha256sum");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(download.ok(), download::output);
            assertEquals(site[1], download.output().strip().split("\\s+")[0],
                    () -> MEGABYTES + " MB arrive whole through proxy and nginx\n" + download.output());

            assertTrue(client.log().contains(WS_LINK + url + " via proxy " + front), () -> client.logTail(30));
            String proxied = Files.readString(proxyLog);
            assertTrue(proxied.contains("HTTP CONNECT " + PROXY_NAME + ":8443 HTTP/1.0 auth=ok -> 200")
                    || proxied.contains("HTTP CONNECT " + PROXY_NAME + ":8443 HTTP/1.1 auth=ok -> 200"), proxied);
            // the server's status shows the address nginx saw the client come from: the proxy's, not 127.0.0.1
            StatusSnapshot status = rig.awaitFreshStatus();
            String clientLine = status.text().lines().filter(l -> l.startsWith(rig.commonName(1) + ",")).findFirst()
                    .orElseThrow(() -> new AssertionError("no client line in the status:\n" + status.text()));
            String real = clientLine.split(",")[1];
            assertTrue(real.startsWith(front + ":"), () -> "real address " + real + ", not the proxy's " + front + "\n"
                    + status.text());
            System.out.printf("wss through an HTTP CONNECT proxy: ping %.2f ms avg; %d MB verified in %.1f s (%.1f MB/s);"
                    + " status shows %s%n", ping.avgRttMillis(), MEGABYTES, seconds, MEGABYTES / seconds, real);
        }
    }

    /** The client's profile with only the WebSocket remote {@code url}, checked against the test CA, and {@code extra}. */
    private static void webSocketProfile(MultiClientRig rig, String url, String extra) throws Exception {
        webSocketProfile(rig, 1, url, extra);
    }

    /** Client {@code i}'s profile with only the WebSocket remote {@code url}, the test CA, and {@code extra}. */
    private static void webSocketProfile(MultiClientRig rig, int i, String url, String extra) throws Exception {
        Path profile = rig.clientConfig(i);
        String text = Files.readString(profile).lines().filter(l -> !l.startsWith("remote ") && !l.startsWith("proto "))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(profile, text + "culvert-remote-websocket " + url + "\nculvert-websocket-ca " + rig.pki().ca()
                + "\n" + extra);
    }

    /** A file of {@code megabytes} random bytes served on the server's tunnel address: its URL and digest. */
    private static String[] site(MultiClientRig rig, Path dir, int megabytes) throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path big = site.resolve("big.bin");
        ExecResult made = rig.serverNs().exec(Duration.ofSeconds(120), "sh", "-c",
                "head -c " + megabytes + "M /dev/urandom > " + big + " && sha256sum " + big);
        String digest = made.orThrow("make the file").output().strip().split("\\s+")[0];
        rig.serverNs().spawn(dir.resolve("http.log"), "/usr/bin/python3", "-m", "http.server", "8090", "--bind",
                Scenario.SERVER_TUNNEL_ADDR, "--directory", site.toString());
        String url = "http://" + Scenario.SERVER_TUNNEL_ADDR + ":8090/big.bin";
        WebSocketNginxInteropTest.awaitHttp(rig, url);
        return new String[] {url, digest};
    }

    private static void awaitCount(OpenvpnProcess p, String text, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(p.log(), text) < n) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new AssertionError(n + " times '" + text + "' expected within " + timeout + ":\n" + p.logTail(40));
            }
            Thread.sleep(100);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
