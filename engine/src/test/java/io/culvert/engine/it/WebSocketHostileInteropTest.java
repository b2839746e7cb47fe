package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.NginxSnippet;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket endpoint's security and bounds (issue 14, ADR 0046) with a real nginx: {@code ./culvert server} listens
 * on a Unix socket ({@code culvert-websocket unix:/tmp/culvert-ws-…/ws.sock /vpn}, group {@code www-data}, a bearer
 * token), nginx (workers as {@code www-data}) proxies {@code wss} to it with {@code proxy_pass http://unix:…:}, and a
 * Culvert client with the token passes traffic through both. The socket is checked (a socket, 0660, root:www-data);
 * {@code nobody:nogroup} cannot connect to it, a {@code www-data} member can. Then, with the client connected, hostile
 * input at the backend socket (garbage, a frame declaring 2^63 bytes, a 64 KiB masked frame, one of 70000 bytes,
 * upgrades without and with a wrong token, 10,000 half-open upgrades in batches of 500 while the client pings) and
 * through nginx (garbage, an upgrade without the token, a 2^63 frame, 200 idle TLS connections): the server stays up,
 * its resident memory stays within 256 MiB of what it was, the client's pings pass, and every refusal shows in the
 * management {@code status} counters.
 */
@NetnsTest
@CulvertFeature
class WebSocketHostileInteropTest {
    private static final Scenario UDP = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final Duration T = Duration.ofSeconds(30);
    private static final String TOKEN = "hostile-test-token-5f1c2a9d7e";
    private static final int HALF_OPEN = 10_000;
    private static final int BATCH = 500;

    @Test
    void theUnixSocketBehindNginxWithATokenShrugsOffHostileInputAndCountsIt(@TempDir Path dir) throws Exception {
        NginxRig.requireNginx();
        // the socket's directory must be reachable by nginx's workers: not under the test's 0700 temp folder
        Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "culvert-ws-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        GroupPrincipal www = sockDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("www-data");
        Files.getFileAttributeView(sockDir, PosixFileAttributeView.class).setGroup(www);
        Path sock = sockDir.resolve("ws.sock");
        Path token = dir.resolve("server.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path mgmt = dir.resolve("mgmt.sock");
        try (MultiClientRig rig = MultiClientRig.create(UDP, dir, 1, "culvert-websocket unix:" + sock + " /vpn",
                "culvert-websocket-group www-data", "culvert-websocket-token-file " + token, "management " + mgmt + " unix")) {
            rig.startCulvertServer();
            assertTrue(rig.server().log().contains("unix:" + sock + "/websocket, path /vpn (mode 0660, group www-data)"),
                    () -> rig.serverLogTail(30));

            // the socket: mode 0660, root:www-data; nobody cannot connect, a member of www-data can
            PosixFileAttributes a = Files.readAttributes(sock, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertTrue(a.isOther(), "a socket");
            assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
            assertEquals("root", a.owner().getName());
            assertEquals("www-data", a.group().getName());
            // the script inline: nobody cannot read the test's folder
            ExecResult nobody = rig.serverNs().exec(T, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "/usr/bin/python3", "-c", PROBE, sock.toString());
            assertTrue(nobody.output().contains("refused: PermissionError"), nobody::output);
            ExecResult member = rig.serverNs().exec(T, "setpriv", "--reuid=nobody", "--regid=nogroup", "--groups=www-data",
                    "/usr/bin/python3", "-c", PROBE, sock.toString());
            assertTrue(member.output().contains("answer: HTTP/1.1 401 Unauthorized"), member::output);

            // nginx in front, its workers www-data; the client with the token, only the WebSocket remote
            String front = rig.link(1).addrA();
            try (NginxRig nginx = NginxRig.start(rig.serverNs(), dir, rig.pki(), front, 8443, "/vpn",
                    NginxSnippet.unixLocation("/vpn", sock.toString()), "user www-data www-data;\n", "")) {
                Path clientToken = dir.resolve("client.token");
                Files.writeString(clientToken, TOKEN + "\n");
                Files.setPosixFilePermissions(clientToken, PosixFilePermissions.fromString("rw-------"));
                Path profile = rig.clientConfig(1);
                String text = Files.readString(profile).lines()
                        .filter(l -> !l.startsWith("remote ") && !l.startsWith("proto "))
                        .collect(Collectors.joining("\n", "", "\n"));
                Files.writeString(profile, text + "culvert-remote-websocket " + nginx.url() + "\nculvert-websocket-ca "
                        + rig.pki().ca() + "\nculvert-websocket-token-file " + clientToken + "\n");
                OpenvpnProcess client = rig.startCulvertClient(1);
                PingResult first = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
                assertTrue(first.noLoss(), () -> first.output() + "\n" + rig.serverLogTail(30) + "\n" + client.logTail(30)
                        + "\n" + nginx.logs());
                assertTrue(rig.server().log().contains("WebSocket client " + rig.link(1).addrB() + ":"),
                        () -> "the real address from X-Real-IP over the socket\n" + rig.serverLogTail(30));
                long rssBefore = rssKb(rig.server());

                // hostile input at the backend socket; the half-open storm runs while the client pings
                Path backend = dir.resolve("backend.py");
                Files.writeString(backend, BACKEND);
                Path backendLog = dir.resolve("backend.log");
                Process storm = rig.serverNs().spawn(backendLog, "/usr/bin/python3", backend.toString(), sock.toString(),
                        TOKEN, String.valueOf(HALF_OPEN), String.valueOf(BATCH));
                int pingsDuring = 0;
                while (storm.isAlive()) {
                    PingResult during = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                    assertTrue(during.noLoss(), () -> "pings during the storm\n" + during.output() + "\n"
                            + rig.serverLogTail(30));
                    pingsDuring++;
                    storm.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
                }
                String backendOut = Files.readString(backendLog);
                assertEquals(0, storm.exitValue(), backendOut);
                assertTrue(backendOut.contains("garbage=b'HTTP/1.1 400"), backendOut);
                assertTrue(backendOut.contains("notoken=b'HTTP/1.1 401"), backendOut);
                assertTrue(backendOut.contains("wrongtoken=b'HTTP/1.1 401"), backendOut);
                assertTrue(backendOut.contains("2^63=b'\\x88\\x02\\x03\\xea'"), () -> "a close with 1002:\n" + backendOut);
                assertTrue(backendOut.contains("70000=b'\\x88\\x02\\x03\\xf1'"), () -> "a close with 1009:\n" + backendOut);
                Matcher batches = Pattern.compile("batch (\\d+) busy=(\\d+)").matcher(backendOut);
                long busy = 0;
                int seen = 0;
                while (batches.find()) {
                    int n = Integer.parseInt(batches.group(2));
                    assertTrue(n >= BATCH - 64, () -> "at most 64 upgrades wait, the rest get 503 at once:\n" + backendOut);
                    busy += n;
                    seen++;
                }
                assertEquals(HALF_OPEN / BATCH, seen, backendOut);

                // hostile input through nginx, from the client's namespace
                Path viaNginx = dir.resolve("nginx.py");
                Files.writeString(viaNginx, THROUGH_NGINX);
                ExecResult through = rig.clientNs(1).exec(Duration.ofSeconds(180), "/usr/bin/python3", viaNginx.toString(),
                        front, "8443", TOKEN);
                String nginxOut = through.output();
                assertTrue(through.ok(), nginxOut);
                assertTrue(nginxOut.contains("garbage=b'HTTP/1.1 400"), nginxOut);
                assertTrue(nginxOut.contains("notoken=b'HTTP/1.1 401"), nginxOut);
                assertTrue(nginxOut.contains("2^63=b'\\x88\\x02\\x03\\xea'"), nginxOut);
                assertTrue(nginxOut.contains("idle=200"), nginxOut);

                PingResult after = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
                assertTrue(after.noLoss(), () -> after.output() + "\n" + rig.serverLogTail(30));
                long rssAfter = rssKb(rig.server());
                assertTrue(rssAfter < rssBefore + 256 * 1024, () -> "VmRSS " + rssBefore + " kB before, " + rssAfter
                        + " kB after");

                Map<String, Long> counted = ManagementClient.globalStats(mgmt, T);
                long busyCounted = counted.getOrDefault("culvert_websocket_refused_BUSY", 0L);
                long busySeen = busy;
                assertTrue(busyCounted >= busySeen, () -> "BUSY " + busyCounted + " < " + busySeen + " seen: " + counted);
                assertTrue(counted.getOrDefault("culvert_websocket_refused_UNAUTHORIZED", 0L) >= 4, counted::toString);
                assertTrue(counted.getOrDefault("culvert_websocket_refused_BAD_REQUEST", 0L) >= 1, counted::toString);
                assertTrue(counted.getOrDefault("culvert_websocket_refused_PROTOCOL_ERROR", 0L) >= 3, counted::toString);
                long refusedLines = rig.server().log().lines().filter(l -> l.contains("WebSocket upgrade from")).count();
                assertTrue(refusedLines < 200, () -> refusedLines + " refusal lines logged: not rate-limited");
                System.out.printf("websocket hostile: %d half-open upgrades at the backend (%d answered 503 at once),"
                        + " %d ping rounds during them all passed; VmRSS %d kB before, %d kB after; counters %s;"
                        + " %d refusal lines logged%n", HALF_OPEN, busy, pingsDuring, rssBefore, rssAfter, counted,
                        refusedLines);
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(sockDir);
        }
    }

    /** The largest VmRSS (kB) among the server process and its descendants (the JVM under the launcher). */
    private static long rssKb(OpenvpnProcess server) throws Exception {
        long max = 0;
        ProcessHandle root = server.process().toHandle();
        for (ProcessHandle h : java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants()).toList()) {
            Path status = Path.of("/proc/" + h.pid() + "/status");
            if (!Files.exists(status)) {
                continue;
            }
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmRSS:")) {
                    max = Math.max(max, Long.parseLong(l.replaceAll("[^0-9]", "")));
                }
            }
        }
        assertTrue(max > 0, "no VmRSS for the server");
        return max;
    }

    /** Connects to the socket given and tries an upgrade without a token: prints what happened. */
    private static final String PROBE = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print('refused: %s' % type(e).__name__); sys.exit(0)
            s.sendall(b'GET /vpn HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                      b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n')
            print('answer: %s' % s.recv(64).split(b'\\r\\n')[0].decode())
            """;

    /**
     * At the backend socket: garbage; upgrades without and with a wrong token; after an upgrade with the token a frame
     * declaring 2^63 bytes, a 64 KiB masked frame, one of 70000 bytes; then half-open upgrades in batches, each batch's
     * connections sending half a request head, counting the ones answered 503 at once.
     */
    private static final String BACKEND = """
            import os, selectors, socket, struct, sys
            sys.stderr = sys.stdout
            PATH, TOKEN, TOTAL, BATCH = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
            def req(extra=b''):
                return (b'GET /vpn HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                        b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n' + extra + b'\\r\\n')
            def conn():
                # a blocking connect waits for room in the listen backlog (with a timeout it would fail with EAGAIN)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(PATH); s.settimeout(30); return s
            def upgraded():
                s = conn(); s.sendall(req(b'Authorization: Bearer ' + TOKEN.encode() + b'\\r\\n'))
                head = b''
                while not head.endswith(b'\\r\\n\\r\\n'):
                    head += s.recv(1)
                assert b' 101 ' in head, head
                return s
            def frame(length, payload=b''):
                return bytes([0x82, 0xFF]) + struct.pack('>Q', length) + b'\\x01\\x02\\x03\\x04' + payload
            s = conn(); s.sendall(b'\\x16\\x03\\x01' + os.urandom(300) + b'\\r\\n\\r\\n'); print('garbage=%r' % s.recv(12)); s.close()
            s = conn(); s.sendall(req()); print('notoken=%r' % s.recv(12)); s.close()
            s = conn(); s.sendall(req(b'Authorization: Bearer wrong-token-0123456789\\r\\n')); print('wrongtoken=%r' % s.recv(12)); s.close()
            s = upgraded(); s.sendall(frame(1 << 63)); print('2^63=%r' % s.recv(4)); s.close()
            s = upgraded(); s.sendall(frame(65536, os.urandom(65536))); s.settimeout(3)
            try:
                print('64k=%r' % s.recv(4))
            except socket.timeout:
                print('64k=open')
            s.close()
            s = upgraded(); s.sendall(frame(70000)); print('70000=%r' % s.recv(4)); s.close()
            sys.stdout.flush()
            for b in range(TOTAL // BATCH):
                batch = []
                for _ in range(BATCH):
                    c = conn()
                    try:
                        c.sendall(b'GET /vpn HTTP/1.1\\r\\nHost: x\\r\\nUpgr')
                    except OSError:
                        pass  # answered 503 and closed before the half head went out
                    c.setblocking(False); batch.append(c)
                sel = selectors.DefaultSelector()
                for c in batch:
                    sel.register(c, selectors.EVENT_READ)
                busy = 0; answered = 0; quiet = 0
                while answered < BATCH and quiet < 3:
                    events = sel.select(timeout=1)
                    quiet = quiet + 1 if not events else 0
                    for key, _ in events:
                        try:
                            data = key.fileobj.recv(12)
                        except OSError:
                            data = b''
                        if data.startswith(b'HTTP/1.1 503'):
                            busy += 1
                        answered += 1
                        sel.unregister(key.fileobj)
                print('batch %d busy=%d' % (b, busy)); sys.stdout.flush()
                for c in batch:
                    c.close()
            """;

    /**
     * Through nginx over TLS: garbage (nginx answers 400 itself), an upgrade without the token (the backend's 401), an
     * upgrade with it and then a frame declaring 2^63 bytes (the backend's close 1002), 200 idle TLS connections.
     */
    private static final String THROUGH_NGINX = """
            import os, socket, ssl, struct, sys
            HOST, PORT, TOKEN = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
            def conn():
                return ctx.wrap_socket(socket.create_connection((HOST, PORT), timeout=30), server_hostname=HOST)
            def req(extra=b''):
                return (b'GET /vpn HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                        b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\n' + extra + b'\\r\\n')
            s = conn(); s.sendall(os.urandom(200) + b'\\r\\n\\r\\n'); print('garbage=%r' % s.recv(12)); s.close()
            s = conn(); s.sendall(req()); print('notoken=%r' % s.recv(12)); s.close()
            s = conn(); s.sendall(req(b'Authorization: Bearer ' + TOKEN.encode() + b'\\r\\n'))
            head = b''
            while not head.endswith(b'\\r\\n\\r\\n'):
                head += s.recv(1)
            assert b' 101 ' in head, head
            s.sendall(bytes([0x82, 0xFF]) + struct.pack('>Q', 1 << 63) + b'\\x01\\x02\\x03\\x04')
            print('2^63=%r' % s.recv(4)); s.close()
            idle = [conn() for _ in range(200)]
            print('idle=%d' % len(idle))
            for c in idle:
                c.close()
            """;
}
