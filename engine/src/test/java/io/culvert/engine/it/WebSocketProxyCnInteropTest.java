package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.NginxSnippet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second factor at the HTTP layer by nginx mTLS (issue 14, ADR 0050). A real nginx verifies client certificates
 * against the test CA ({@code ssl_verify_client on}) and passes the verified subject to {@code ./culvert server} in
 * {@code X-Client-DN} ({@code $ssl_client_s_dn}, the admin guide's lines); the server has
 * {@code culvert-websocket-client-cn-header X-Client-DN}. Client 1, {@code ./culvert client} over {@code wss}, shows
 * nginx the profile's own certificate: the names match, it connects and pings. Client 2 reaches nginx through a TLS
 * forwarder that shows another valid certificate ({@code someone-else}) while its OpenVPN certificate is
 * {@code client2}'s: the session is refused (the client sees AUTH_FAILED), counted as
 * {@code culvert_websocket_refused_CN_MISMATCH} and logged with both names; an upgrade at the backend without the
 * header is refused with 401; client 1 keeps passing traffic.
 */
@NetnsTest
@CulvertFeature
class WebSocketProxyCnInteropTest {
    private static final Scenario UDP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void nginxMtlsNameMustMatchTheOpenvpnCertificate(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        Path mgmt = dir.resolve("mgmt.sock");
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 2, "culvert-websocket 127.0.0.1:8081 /vpn",
                "culvert-websocket-trusted-proxy 127.0.0.1", "culvert-websocket-client-cn-header X-Client-DN",
                "management " + mgmt + " unix")) {
            String location = NginxSnippet.location("/vpn", "127.0.0.1", 8081);
            assertTrue(location.contains("    proxy_buffering off;\n"), location);
            location = location.replace("    proxy_buffering off;\n",
                    "    proxy_buffering off;\n    proxy_set_header X-Client-DN $ssl_client_s_dn;\n");
            String mtls = "ssl_verify_client on;\nssl_client_certificate " + rig.pki().ca() + ";\n";
            try (NginxRig one = NginxRig.start(rig.serverNs(), dir, rig.pki(), rig.link(1).addrA(), 8443, "/vpn",
                    location, "", mtls);
                    NginxRig two = NginxRig.start(rig.serverNs(), Files.createDirectories(dir.resolve("two")), rig.pki(),
                            rig.link(2).addrA(), 8443, "/vpn", location, "", mtls)) {
                rig.startCulvertServer();

                // matching names: the client shows nginx its profile's certificate
                rig.webSocketProfile(1, one.url());
                OpenvpnProcess client = rig.startCulvertClient(1);
                PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(ping.noLoss(), () -> ping.output() + "\n" + client.logTail(30) + "\n" + rig.serverLogTail(30));

                // another valid certificate at nginx than in the OpenVPN handshake: refused
                Path[] other = rig.pki().issueClient("someone-else");
                Path relay = dir.resolve("relay.py");
                Files.writeString(relay, RELAY);
                Path relayLog = dir.resolve("relay.log");
                rig.clientNs(2).spawn(relayLog, "/usr/bin/python3", relay.toString(), two.listen(), "8443",
                        other[0].toString(), other[1].toString(), rig.pki().ca().toString());
                for (int i = 0; i < 300 && !(Files.exists(relayLog) && Files.readString(relayLog).contains("LISTENING")); i++) {
                    Thread.sleep(100);
                }
                assertTrue(Files.readString(relayLog).contains("LISTENING"), () -> "relay did not start");
                rig.webSocketProfile(2, "ws://127.0.0.1:9080/vpn");
                OpenvpnProcess intruder = OpenvpnProcess.command(rig.clientNs(2), dir, dir.resolve("intruder.log"),
                        OpenvpnProcess.repoRoot().resolve("culvert").toString(), "client", "--config",
                        rig.clientConfig(2).toString());
                try (intruder) {
                    intruder.awaitLine("AUTH_FAILED", Duration.ofSeconds(90));
                    rig.server().awaitLine("is not 'someone-else', the name the proxy verified; refused",
                            Duration.ofSeconds(30));
                    assertTrue(rig.server().log().contains("certificate common name '" + rig.commonName(2) + "'"),
                            () -> rig.serverLogTail(30));
                    assertTrue(!intruder.log().contains(OpenvpnProcess.READY), () -> intruder.logTail(30));
                }

                // at the backend without the header: 401
                ExecResult bare = rig.serverNs().exec(T, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                        "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H",
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", "Sec-WebSocket-Version: 13",
                        "http://127.0.0.1:8081/vpn");
                assertEquals("401", bare.output().strip(), bare::output);

                Map<String, Long> counted = ManagementClient.globalStats(mgmt, T);
                assertTrue(counted.getOrDefault("culvert_websocket_refused_CN_MISMATCH", 0L) >= 1, counted::toString);
                assertTrue(counted.getOrDefault("culvert_websocket_refused_UNAUTHORIZED", 0L) >= 1, counted::toString);
                PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(after.noLoss(), () -> after.output() + "\n" + client.logTail(30));
                assertTrue(!rig.server().log().contains("BEGIN"), "no certificate or key material in the server's log");
                System.out.printf("nginx mTLS + culvert-websocket-client-cn-header: matching name connected (ping %.2f"
                        + " ms), another name refused; counters %s%n", ping.avgRttMillis(), counted);
            }
        }
    }


    /** Plain TCP on 127.0.0.1:9080 forwarded over TLS to HOST:PORT, showing the certificate given (checked against CA). */
    private static final String RELAY = """
            import socket, ssl, sys, threading
            host, port, cert, key, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
            ctx = ssl.create_default_context(cafile=ca); ctx.check_hostname = False
            ctx.load_cert_chain(cert, key)
            def pump(a, b):
                try:
                    while True:
                        d = a.recv(65536)
                        if not d:
                            break
                        b.sendall(d)
                except OSError:
                    pass
                for s in (a, b):
                    try:
                        s.close()
                    except OSError:
                        pass
            def serve(c):
                try:
                    t = ctx.wrap_socket(socket.create_connection((host, port), timeout=30), server_hostname=host)
                    t.settimeout(None)
                except OSError as e:
                    print('connect failed: %s' % e, flush=True); c.close(); return
                threading.Thread(target=pump, args=(c, t), daemon=True).start()
                pump(t, c)
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', 9080)); l.listen(16)
            print('LISTENING', flush=True)
            while True:
                c, _ = l.accept()
                threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;
}
