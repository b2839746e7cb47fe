package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PKI end to end, as an administrator uses it: {@code ./culvert pki init/issue/export/revoke} make the files,
 * a stock openvpn 2.6 client connects with the exported profile to {@code ./culvert server} and to a stock openvpn
 * server configured from the same PKI, and revocation refuses (both) and drops a connected client (Culvert).
 */
@NetnsTest
@ControlPlaneOnly
class PkiInteropTest {
    private static final String TUNNEL_SERVER = "10.77.0.1";
    private static final Duration NO_READY_WINDOW = Duration.ofSeconds(12);

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"udp,tls-crypt", "tcp,tls-auth"})
    void exportedProfileJoinsCulvertServerAndRevocationDropsItAtOnce(String proto, String wrap, @TempDir Path dir) throws Exception {
        try (Netns srv = Netns.create("psrv"); Netns cli = Netns.create("pcli")) {
            VethLink link = Netns.link(srv, cli);
            Path conf = setUp(dir, link.addrA(), proto, wrap);
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    culvertBinary(), "server", "--config", conf.toString()).awaitInitialized(InteropRig.STARTUP)) {
                Path profile = dir.resolve("alice.ovpn");
                try (OpenvpnProcess alice = OpenvpnProcess.stock(cli, profile, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult up = cli.ping(TUNNEL_SERVER, 3);
                    assertTrue(up.noLoss(), () -> up.output() + "\nserver:\n" + server.logTail(30));

                    pki(dir, "revoke", "alice", "--reason", "keyCompromise");
                    long start = System.nanoTime();
                    awaitExit(alice, Duration.ofSeconds(5));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(alice.log().contains("Halt command was pushed by server"), () -> "client was told to halt:\n" + alice.logTail(20));
                    assertTrue(server.log().contains("is revoked (CRL); disconnecting"), () -> server.logTail(30));
                    PingResult down = cli.ping(TUNNEL_SERVER, 2);
                    assertEquals(0, down.received(), down::output);
                    System.out.printf("revoked client (%s/%s) gone %d ms after 'culvert pki revoke' returned%n", proto, wrap, millis);
                }
                assertRefused(cli, profile, dir, server);
                assertTrue(server.log().lines().filter(l -> l.contains("is revoked (CRL)")).count() >= 2,
                        () -> "the reconnect was refused for the revoked certificate:\n" + server.logTail(30));
                try (OpenvpnProcess bob = OpenvpnProcess.stock(cli, dir.resolve("bob.ovpn"), dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult ping = cli.ping(TUNNEL_SERVER, 3);
                    assertTrue(ping.noLoss(), () -> ping.output() + "\nserver:\n" + server.logTail(30));
                }
            }
        }
    }

    @Test
    void exportedProfileJoinsStockServerAndRevokedClientIsRefused(@TempDir Path dir) throws Exception {
        try (Netns srv = Netns.create("psrv"); Netns cli = Netns.create("pcli")) {
            VethLink link = Netns.link(srv, cli);
            Path conf = setUp(dir, link.addrA(), "udp", "tls-crypt");
            try (OpenvpnProcess server = OpenvpnProcess.stock(srv, conf, dir).awaitInitialized(InteropRig.STARTUP)) {
                Path profile = dir.resolve("alice.ovpn");
                try (OpenvpnProcess alice = OpenvpnProcess.stock(cli, profile, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult up = cli.ping(TUNNEL_SERVER, 3);
                    assertTrue(up.noLoss(), () -> up.output() + "\nserver:\n" + server.logTail(30));
                }
                pki(dir, "revoke", "alice");
                assertRefused(cli, profile, dir, server);
                assertTrue(server.log().contains("certificate revoked"), () -> server.logTail(30));
            }
        }
    }

    /** init + issue alice and bob + server.conf + exported alice.ovpn and bob.ovpn; returns server.conf. */
    private static Path setUp(Path dir, String serverAddr, String proto, String wrap) throws Exception {
        pki(dir, "init", "--server-cn", "server");
        pki(dir, "issue", "alice");
        pki(dir, "issue", "bob");
        Path p = dir.resolve("pki");
        List<String> lines = new ArrayList<>(List.of("port 1194", "local " + serverAddr, "proto " + proto, "dev tun",
                "topology subnet", "server 10.77.0.0 255.255.255.0", "ca " + p.resolve("ca.crt"),
                "cert " + p.resolve("issued/server.crt"), "key " + p.resolve("private/server.key"), "dh none",
                "crl-verify " + p.resolve("crl.pem"), "keepalive 2 10", "verb 3"));
        lines.add(wrap.equals("tls-crypt") ? "tls-crypt " + p.resolve("tc.key") : "tls-auth " + p.resolve("ta.key") + " 0");
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        for (String cn : List.of("alice", "bob")) {
            Path out = dir.resolve(cn + ".ovpn");
            pki(dir, "export", cn, "--server-config", conf.toString(), "--remote", serverAddr, "--out", out.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        }
        String text = Files.readString(dir.resolve("alice.ovpn"));
        assertTrue(text.contains(wrap.equals("tls-crypt") ? "<tls-crypt>" : "key-direction 1\n<tls-auth>"), text);
        assertTrue(text.contains("proto " + proto + "\n"));
        return conf;
    }

    /** A fresh client with the revoked profile never completes the handshake. */
    private static void assertRefused(Netns cli, Path profile, Path dir, OpenvpnProcess server) throws InterruptedException {
        try (OpenvpnProcess again = OpenvpnProcess.stock(cli, profile, dir)) {
            long deadline = System.nanoTime() + NO_READY_WINDOW.toNanos();
            while (System.nanoTime() < deadline && again.isAlive()) {
                assertFalse(again.log().contains(OpenvpnProcess.READY),
                        () -> "revoked client connected:\n" + again.logTail(20) + "\nserver:\n" + server.logTail(20));
                Thread.sleep(200);
            }
            assertFalse(again.log().contains(OpenvpnProcess.READY));
        }
    }

    private static void awaitExit(OpenvpnProcess p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (p.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("client still running " + timeout + " after revocation:\n" + p.logTail(20));
            }
            Thread.sleep(50);
        }
    }

    private static void pki(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(culvertBinary(), "pki", "--dir", dir.resolve("pki").toString()));
        cmd.addAll(List.of(args));
        ExecResult r = Netns.run(Duration.ofSeconds(300), cmd.toArray(String[]::new));
        assertEquals(0, r.exitCode(), () -> String.join(" ", cmd) + ":\n" + r.output());
    }

    private static String culvertBinary() {
        return OpenvpnProcess.repoRoot().resolve("culvert").toString();
    }
}
