package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenVPN over WebSocket behind a real nginx (issue 14, ADR 0042). In the server's namespace: {@code ./culvert server}
 * with its UDP socket and {@code culvert-websocket 127.0.0.1:8081 /vpn}, and nginx (started by {@link NginxRig}
 * around the admin guide's location block, with a test CA's certificate for the server's link address) proxying
 * {@code wss://10.201.1.1:8443/vpn} to it with the documented location block. In the client's namespace:
 * {@code ./culvert client} with only {@code culvert-remote-websocket} and {@code culvert-websocket-ca}. It pings the
 * server's tunnel address, downloads a file through the tunnel and checks its digest, and the server's status shows
 * the client's real address (the client namespace's, from nginx's X-Real-IP), not 127.0.0.1.
 */
@NetnsTest
@CulvertFeature
class WebSocketNginxInteropTest {
    private static final Scenario UDP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final int MEGABYTES = Integer.getInteger("culvert.ws.megabytes", 50);
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void aCulvertClientReachesTheServerThroughNginxOverWss(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 1, "culvert-websocket 127.0.0.1:8081 /vpn",
                "culvert-websocket-trusted-proxy 127.0.0.1");
                NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), "/vpn",
                        "127.0.0.1", 8081)) {

            // The client's profile: only the WebSocket remote, checked against the test CA.
            Path profile = rig.clientConfig(1);
            String text = Files.readString(profile).lines().filter(l -> !l.startsWith("remote ") && !l.startsWith("proto "))
                    .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(profile, text + "culvert-remote-websocket " + nginx.url() + "\n"
                    + "culvert-websocket-ca " + rig.pki().ca() + "\n");

            rig.startCulvertServer();
            assertTrue(rig.server().log().contains("/websocket, path /vpn"), () -> rig.serverLogTail(30));
            OpenvpnProcess client = rig.startCulvertClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(ping.noLoss(), () -> ping.output() + "\n" + rig.serverLogTail(30) + "\n" + client.logTail(30));

            Path site = Files.createDirectories(dir.resolve("site"));
            Path big = site.resolve("big.bin");
            ExecResult made = rig.serverNs().exec(Duration.ofSeconds(120), "sh", "-c",
                    "head -c " + MEGABYTES + "M /dev/urandom > " + big + " && sha256sum " + big);
            String digest = made.orThrow("make the file").output().strip().split("\\s+")[0];
            rig.serverNs().spawn(dir.resolve("http.log"), "/usr/bin/python3", "-m", "http.server", "8090", "--bind",
                    Scenario.SERVER_TUNNEL_ADDR, "--directory", site.toString());
            String url = "http://" + Scenario.SERVER_TUNNEL_ADDR + ":8090/big.bin";
            awaitHttp(rig, url);
            long start = System.nanoTime();
            ExecResult download = rig.clientNs(1).exec(Duration.ofSeconds(600), "sh", "-c",
                    "curl -sS -m 590 " + url + " | sha256sum");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(download.ok(), download::output);
            assertEquals(digest, download.output().strip().split("\\s+")[0],
                    () -> MEGABYTES + " MB arrive whole through nginx\n" + rig.serverLogTail(30));

            StatusSnapshot status = rig.awaitFreshStatus();
            String clientLine = status.text().lines().filter(l -> l.startsWith(rig.commonName(1) + ",")).findFirst()
                    .orElseThrow(() -> new AssertionError("no client line in the status:\n" + status.text()));
            String real = clientLine.split(",")[1];
            assertTrue(real.startsWith(rig.link(1).addrB() + ":"), () -> "real address " + real + ", not the client's "
                    + rig.link(1).addrB() + "\n" + status.text());
            // nginx logs the upgrade only when the connection ends; the server names the proxy it came through
            assertTrue(rig.server().log().contains("WebSocket client " + rig.link(1).addrB() + ":")
                    && rig.server().log().contains("(via 127.0.0.1:"), () -> rig.serverLogTail(40));
            System.out.printf("websocket through nginx: ping %.2f ms avg; %d MB in %.1f s (%.1f MB/s); status shows %s%n",
                    ping.avgRttMillis(), MEGABYTES, seconds, MEGABYTES / seconds, real);

            // Hostile input at the backend, bypassing nginx: the server stays up and the client keeps passing traffic.
            Path script = dir.resolve("hostile.py");
            Files.writeString(script, HOSTILE);
            ExecResult hostile = rig.serverNs().exec(Duration.ofSeconds(120), "/usr/bin/python3", script.toString());
            assertTrue(hostile.ok(), hostile::output);
            String answers = hostile.output();
            assertTrue(answers.contains("garbage=b'HTTP/1.1 400"), answers);
            assertTrue(answers.contains("2^63=b'\\x88\\x02\\x03\\xea'"), () -> "a close with 1002:\n" + answers);
            assertTrue(answers.contains("70000=b'\\x88\\x02\\x03\\xf1'"), () -> "a close with 1009:\n" + answers);
            assertTrue(answers.contains("busy=136 "), () -> "64 half-open upgrades at most:\n" + answers);
            PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(after.noLoss(), () -> after.output() + "\n" + rig.serverLogTail(30));
            OpenvpnProcess server = rig.server();
            rig.stopServer();
            String totals = server.log().lines().filter(l -> l.contains("WebSocket totals:")).findFirst().orElse("");
            assertTrue(totals.matches(".*upgraded=\\d+ refused=(13[7-9]|1[4-9]\\d|[2-9]\\d\\d) protocolErrors=[2-9].*"),
                    () -> "rejections counted: " + totals + "\n" + answers);
            System.out.println("hostile input: " + answers.strip().replace('\n', ' ') + "; " + totals.strip());
        }
    }

    /**
     * The user guide's profile syntax: stock openvpn 2.6 loads a profile with {@code culvert-remote-websocket} and
     * {@code culvert-websocket-ca} behind {@code ignore-unknown-option}, notes them, and dials the profile's UDP remote.
     */
    @Test
    void stockOpenvpnLoadsTheProfileAndUsesItsOtherRemote(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        Path profile = dir.resolve("both.ovpn");
        Files.writeString(profile, "client\ndev null\nverb 4\nconnect-retry-max 1\n"
                + "ignore-unknown-option culvert-remote-websocket culvert-websocket-ca\n"
                + "culvert-remote-websocket wss://vpn.example/vpn\nculvert-websocket-ca " + pki.ca() + "\n"
                + "remote 127.0.0.1 1199 udp\nca " + pki.ca() + "\ncert " + pki.clientCert() + "\nkey " + pki.clientKey() + "\n");
        try (Netns ns = Netns.create("wsstock")) {
            ExecResult r = ns.exec(Duration.ofSeconds(60), "timeout", "8", NetnsCondition.OPENVPN.toString(), "--config",
                    profile.toString());
            String log = r.output();
            assertTrue(log.contains("Unrecognized option or missing or extra parameter(s) in " + profile
                    + ":6: culvert-remote-websocket"), log);
            assertTrue(!log.contains("Options error"), log);
            assertTrue(log.contains("link remote: [AF_INET]127.0.0.1:1199"), log);
        }
    }

    /**
     * Talks to the backend directly: garbage instead of an upgrade; after an upgrade a frame declaring 2^63 bytes, a
     * 64 KiB masked frame (accepted: it is garbage for the OpenVPN stream), one of 70000 bytes; then 200 upgrades
     * that never send their head (64 may wait, 136 are turned away at once with 503).
     */
    private static final String HOSTILE = """
            import os, socket, struct
            H, P = '127.0.0.1', 8081
            REQ = (b'GET /vpn HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                   b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n')
            def upgraded():
                s = socket.create_connection((H, P), timeout=30)
                s.sendall(REQ)
                head = b''
                while not head.endswith(b'\\r\\n\\r\\n'):
                    head += s.recv(1)
                assert b' 101 ' in head, head
                return s
            def frame(length, payload=b''):
                return bytes([0x82, 0xFF]) + struct.pack('>Q', length) + b'\\x01\\x02\\x03\\x04' + payload
            s = socket.create_connection((H, P), timeout=30)
            s.sendall(b'\\x16\\x03\\x01' + os.urandom(300) + b'\\r\\n\\r\\n')
            print('garbage=%r' % s.recv(12)); s.close()
            s = upgraded(); s.sendall(frame(1 << 63)); print('2^63=%r' % s.recv(4)); s.close()
            s = upgraded(); s.sendall(frame(65536, os.urandom(65536))); s.settimeout(3)
            try:
                print('64k=%r' % s.recv(4))
            except socket.timeout:
                print('64k=open')
            s.close()
            s = upgraded(); s.sendall(frame(70000)); print('70000=%r' % s.recv(4)); s.close()
            idle = [socket.create_connection((H, P), timeout=30) for _ in range(200)]
            busy = 0
            for c in idle:
                c.settimeout(0.2)
                try:
                    if c.recv(12).startswith(b'HTTP/1.1 503'):
                        busy += 1
                except socket.timeout:
                    pass
            print('busy=%d ' % busy)
            for c in idle:
                c.close()
            """;

    static void awaitHttp(MultiClientRig rig, String url) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (rig.serverNs().exec(T, "curl", "-sS", "-m", "2", "-o", "/dev/null", "-r", "0-0", url).ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the web server on the tunnel address did not start");
    }
}
