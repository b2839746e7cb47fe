package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code port-share} (issue 11): one TCP port serves OpenVPN clients and a web site. A web server listens on
 * 127.0.0.1:8080 inside the server's namespace only; the VPN server says {@code port-share 127.0.0.1 8080}. From the
 * client's namespace, curl fetches a page and a 3 MB file through the VPN server's TCP port (both arrive whole), a
 * stock {@code openvpn} client connects through the same port and pings through the tunnel, curl fetches again while
 * it is up, and afterwards no relayed connection is left open on either side. The same config under stock OpenVPN 2.6
 * behaves the same, which the second test shows. Both also push {@code socket-flags TCP_NODELAY} for
 * {@code tcp-nodelay}, which the stock client's log shows.
 */
@NetnsTest
class PortShareInteropTest {
    private static final Scenario TCP = new Scenario("tcp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void culvertServerSharesItsTcpPortWithAWebSite(@TempDir Path dir) throws Exception {
        shared(dir, true);
    }

    @Test
    void stockOpenvpn26DoesTheSameWithTheSameConfig(@TempDir Path dir) throws Exception {
        shared(dir, false);
    }

    private static void shared(Path dir, boolean culvert) throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        String token = "culvert-port-share-" + Long.toHexString(new Random().nextLong());
        Files.writeString(site.resolve("hello.txt"), token + "\n");
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(11).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        try (MultiClientRig rig = MultiClientRig.create(TCP, dir, 1, "port-share 127.0.0.1 8080", "tcp-nodelay")) {
            rig.serverNs().spawn(dir.resolve("http.log"), "/usr/bin/python3", "-m", "http.server", "8080", "--bind",
                    "127.0.0.1", "--directory", site.toString());
            awaitWebSite(rig);
            if (culvert) {
                rig.startCulvertServer();
            } else {
                rig.startStockServer();
            }
            String url = "http://" + rig.link(1).addrA() + ":" + MultiClientRig.PORT;
            assertEquals(token, fetch(rig, url + "/hello.txt"), () -> rig.serverLogTail(30));
            ExecResult download = rig.clientNs(1).exec(T, "sh", "-c", "curl -sS -m 20 " + url + "/big.bin | sha256sum");
            assertTrue(download.ok(), download::output);
            assertEquals(sha256(big), download.output().strip().split("\\s+")[0], "the 3 MB file arrives whole");

            OpenvpnProcess client = rig.startStockClient(1);
            assertTrue(client.log().contains("socket-flags TCP_NODELAY"), () -> "tcp-nodelay is pushed\n" + client.log());
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(ping.noLoss(), () -> ping.output() + "\n" + rig.serverLogTail(30));
            assertEquals(token, fetch(rig, url + "/hello.txt"), "the web site while a VPN client is connected");
            PingResult again = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(again.noLoss(), again::output);

            // Every relayed connection was closed on both sides: none left towards the web server or from curl.
            String left = "";
            for (int i = 0; i < 50; i++) {
                left = rig.serverNs().exec(T, "ss", "-Htn", "state", "established", "( dport = :8080 or sport = :8080 )")
                        .orThrow("ss").output().strip();
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("", left, "relayed connections left open");
            if (culvert) {
                assertTrue(rig.server().log().contains("port-share: relaying"), () -> rig.serverLogTail(30));
            }
            System.out.printf("port-share (%s): web page, 3 MB and a stock client through %s%n",
                    culvert ? "Culvert" : "stock 2.6", url);
        }
    }

    private static String fetch(MultiClientRig rig, String url) {
        ExecResult r = rig.clientNs(1).exec(T, "curl", "-sS", "-m", "10", url);
        assertTrue(r.ok(), () -> "curl " + url + ": " + r.output());
        return r.output().strip();
    }

    private static void awaitWebSite(MultiClientRig rig) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (rig.serverNs().exec(T, "curl", "-sS", "-m", "2", "-o", "/dev/null", "http://127.0.0.1:8080/hello.txt").ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the web server in the server namespace did not start");
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
