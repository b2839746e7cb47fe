package io.culvert.engine.it;

import io.culvert.engine.testkit.Pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock openvpn and {@code ./culvert client} reach a stock openvpn 2.6 TCP server only through {@link TestProxy}
 * (HTTP CONNECT with Basic auth, and SOCKS5 with username/password), which runs in the server namespace. The
 * profile names the server {@code vpn.culvert.test}, which only the proxy can resolve, so a tunnel proves the
 * proxy path. SOCKS runs twice: the proxy answers the password with RFC 1929's version 1, then with 5, which some
 * proxies send; Culvert and OpenVPN 2.6 take both, OpenVPN 2.7 refuses the 1 ({@link #SOCKS_REFUSED_27}).
 * With a wrong password Culvert reports the proxy's 407 status line.
 */
@NetnsTest
class ProxyInteropTest {
    private static final Scenario TCP = new Scenario("tcp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final String USER = "alice";
    private static final String PASS = "proxy-s3cret";
    private static final String VPN_NAME = "vpn.culvert.test";
    private static final int HTTP_PORT = 8080;
    private static final int SOCKS_PORT = 1080;
    /** Stock OpenVPN 2.7's log when the password status reply has RFC 1929's version 1 (it wants 5; 2.6 took either). */
    private static final String SOCKS_REFUSED_27 = "socks_username_password_auth: server refused the authentication";

    @Test
    void stockAndCulvertClientsTunnelThroughHttpAndSocksProxies(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(TCP, dir)) {
            startProxy(rig);
            Path auth = write(dir, "proxy-auth.txt", USER + "\n" + PASS + "\n");
            String addr = rig.serverAddr();
            // the first <connection> names a proxy port nothing listens on: both clients must move on to the second
            Path http = profile(rig, "http.ovpn", "<connection>\nremote " + VPN_NAME + " " + InteropRig.PORT + "\n"
                    + "http-proxy " + addr + " " + (HTTP_PORT + 1) + " " + auth + " basic\n</connection>\n"
                    + "<connection>\nremote " + VPN_NAME + " " + InteropRig.PORT + "\n"
                    + "http-proxy " + addr + " " + HTTP_PORT + " " + auth + " basic\n"
                    + "http-proxy-option VERSION 1.1\nhttp-proxy-option AGENT culvert-interop\n</connection>\n");
            Path socks = profile(rig, "socks.ovpn", "remote " + VPN_NAME + " " + InteropRig.PORT + "\n"
                    + "socks-proxy " + addr + " " + SOCKS_PORT + " " + auth + "\n");
            Path socksStatus5 = profile(rig, "socks-status5.ovpn", "remote " + VPN_NAME + " " + InteropRig.PORT + "\n"
                    + "socks-proxy " + addr + " " + (SOCKS_PORT + 1) + " " + auth + "\n");

            for (Path profile : new Path[] {http, socks, socksStatus5}) {
                String name = profile.getFileName().toString().replace(".ovpn", "");
                try (OpenvpnProcess stock = OpenvpnProcess.stock(rig.clientNs(), profile, dir)) {
                    if (profile == socks && StockOpenvpn.peerIs27OrLater()) {
                        stock.awaitLine(SOCKS_REFUSED_27, Duration.ofSeconds(30));
                        assertFalse(stock.log().contains(OpenvpnProcess.READY), stock::log);
                    } else {
                        stock.awaitInitialized(InteropRig.STARTUP);
                        PingResult ping = rig.pingServer(3);
                        assertTrue(ping.noLoss(), () -> "stock client through the " + name + " proxy:\n" + stock.logTail(30));
                    }
                    stock.stop();
                }
                try (OpenvpnProcess culvert = culvert(rig, profile, "culvert-" + name + ".log")) {
                    culvert.awaitInitialized(InteropRig.STARTUP);
                    PingResult ping = rig.pingServer(5);
                    assertTrue(ping.noLoss(), () -> "culvert through the " + name + " proxy:\n" + culvert.logTail(40)
                            + "\nproxy log:\n" + read(dir.resolve("proxy.log")));
                    assertFalse(culvert.log().contains(PASS), "the proxy password must never be logged");
                    culvert.stop();
                    assertEquals(0, culvert.process().exitValue(), () -> culvert.logTail(20));
                }
            }
            String proxyLog = read(dir.resolve("proxy.log"));
            assertTrue(proxyLog.contains("HTTP CONNECT " + VPN_NAME + ":1194 HTTP/1.1 auth=ok -> 200"), proxyLog);
            assertTrue(proxyLog.contains("SOCKS CONNECT " + VPN_NAME + ":1194 auth=ok status-version=1"), proxyLog);
            assertTrue(proxyLog.contains("SOCKS CONNECT " + VPN_NAME + ":1194 auth=ok status-version=5"), proxyLog);
            assertTrue(read(dir.resolve("culvert-http.log")).contains("Connection refused"),
                    "the dead first proxy is reported before the second is tried");
        }
    }

    @Test
    void culvertReportsTheProxys407ForWrongCredentials(@TempDir Path dir) {
        try (InteropRig rig = InteropRig.start(TCP, dir)) {
            startProxy(rig);
            Path auth = write(dir, "wrong-auth.txt", USER + "\nnot-the-password\n");
            Path http = profile(rig, "http-wrong.ovpn", "remote " + VPN_NAME + " " + InteropRig.PORT + "\n"
                    + "http-proxy " + rig.serverAddr() + " " + HTTP_PORT + " " + auth + " basic\n");
            try (OpenvpnProcess culvert = culvert(rig, http, "culvert-wrong.log")) {
                culvert.awaitLine("rejected the credentials: HTTP/1.1 407 Proxy Authentication Required",
                        Duration.ofSeconds(60));
                assertFalse(culvert.log().contains(OpenvpnProcess.READY), culvert::log);
                assertFalse(culvert.log().contains("not-the-password"), "the proxy password must never be logged");
                culvert.stop();
            }
            assertTrue(read(dir.resolve("proxy.log")).contains("auth=wrong -> 407"));
        }
    }

    private static void startProxy(InteropRig rig) {
        Path log = rig.dir().resolve("proxy.log");
        TestProxy.start(rig.serverNs(), log, rig.serverAddr(), HTTP_PORT, SOCKS_PORT, USER, PASS,
                VPN_NAME + "=" + rig.serverAddr());
        Instant deadline = Instant.now().plusSeconds(30);
        while (!read(log).contains("LISTENING")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("test proxy did not start:\n" + read(log));
            }
            Pause.millis(100);
        }
    }

    private static OpenvpnProcess culvert(InteropRig rig, Path profile, String logName) {
        return OpenvpnProcess.command(rig.clientNs(), rig.dir(), rig.dir().resolve(logName),
                OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config", profile.toString());
    }

    /** The rig's unified profile with its remote line replaced by {@code endpoints}. */
    private static Path profile(InteropRig rig, String name, String endpoints) {
        String base = read(rig.clientConfig());
        String remote = "remote " + rig.serverAddr() + " " + InteropRig.PORT + "\n";
        assertTrue(base.contains(remote), base);
        return write(rig.dir(), name, base.replace(remote, endpoints));
    }

    private static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
