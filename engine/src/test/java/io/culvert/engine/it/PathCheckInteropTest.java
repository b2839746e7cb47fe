package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Why can't A reach B?" (ADR 0044) asked of a real {@code ./culvert server} through its management interface and
 * through {@code culvert server diagnose}, with seeded faults: alice is a Culvert client, bob and carol stock openvpn
 * 2.6 clients, dave never connects. One server (client-to-client, {@code culvert-c2c-deny alice bob}, carol's iroute
 * 10.55.0.0/24 routed but not pushed, a pushed route to 192.168.77.0/24 with no NAT) answers: alice -> bob denied by
 * the pair policy; alice -> dave not connected; alice -> 10.55.0.1 a route missing on alice; alice -> 192.168.77.2 no
 * gateway or NAT rule; alice -> carol works, with the counters of a running ping and a path MTU of 1500 measured by the
 * probe; then, with carol's link on the server side cut to MTU 1300 (a veth drops larger frames without a word), an
 * MTU black hole with the smaller path MTU. A second start without client-to-client: alice -> carol names it, and a
 * ping really fails.
 */
@NetnsTest
@CulvertFeature
class PathCheckInteropTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final int ALICE = 1;
    private static final int BOB = 2;
    private static final int CAROL = 3;
    private static final Pattern PATH_MTU = Pattern.compile("path MTU (\\d+) bytes");

    @Test
    void theDiagnosisNamesEachSeededFaultAndMeasuresTheWorkingPath(@TempDir Path dir) throws Exception {
        Path ccd = Files.createDirectories(dir.resolve("ccd"));
        Files.writeString(ccd.resolve("carol"), "iroute 10.55.0.0 255.255.255.0\n");
        Path sock = dir.resolve("mgmt.sock");
        try (MultiClientRig rig = MultiClientRig.createNamed(Scenario.UDP_TLS_CRYPT_GCM, dir,
                List.of("alice", "bob", "carol", "dave"), "client-to-client", "setenv opt culvert-c2c-deny alice bob",
                "client-config-dir " + ccd, "route 10.55.0.0 255.255.255.0", "push \"route 192.168.77.0 255.255.255.0\"",
                "management " + sock + " unix")) {
            rig.startCulvertServer();
            rig.startCulvertClient(ALICE);
            rig.startStockClient(BOB);
            rig.startStockClient(CAROL);
            try (ManagementClient m = ManagementClient.unix(sock, T)) {
                m.nextLine(); // >INFO greeting
                assertFault(m.multi("diagnose alice bob noprobe"), "pair policy", "the pair policy denies alice -> bob"
                        + " (culvert-c2c-deny, the rule on line ");
                assertFault(m.multi("diagnose alice dave noprobe"), "B connected",
                        "no client with the common name 'dave' is connected to this server");
                List<String> iroute = m.multi("diagnose alice 10.55.0.1 noprobe");
                assertFault(iroute, "route on A", "the server pushed alice no route that covers 10.55.0.1");
                assertTrue(iroute.contains("2. [ok] B's owner: 10.55.0.1 is behind carol (its iroute 10.55.0.0/24)"),
                        iroute::toString);
                List<String> outside = m.multi("diagnose alice 192.168.77.2 noprobe");
                assertFault(outside, "gateway/NAT", "no gateway or NAT rule applies to 192.168.77.2");
                assertTrue(outside.stream().anyMatch(l -> l.startsWith("3. [ok] route on A: alice sends 192.168.77.2 into"
                        + " the tunnel: the pushed route 192.168.77.0 255.255.255.0")), outside::toString);
            }

            // the working pair, while alice pings carol: through the CLI, with the probe
            String carol = rig.tunnelAddr(CAROL);
            Thread ping = Thread.ofVirtual().start(() -> rig.clientNs(ALICE).ping(carol, 60));
            Cli works = diagnose(sock, "alice", "carol");
            ping.join(Duration.ofSeconds(30));
            assertEquals(0, works.code(), works::text);
            assertTrue(works.out().startsWith("alice can reach carol through the server; path MTU 1500 bytes\n"),
                    works::text);
            assertTrue(works.out().matches("(?s).*\\[ok\\] counters: \\d+ packets from alice were forwarded to carol in"
                    + " the last 2 s.*"), works::text);
            assertTrue(works.out().contains("[ok] probe: carol answered an echo request from the server's tunnel"
                    + " address 10.77.0.1 in "), works::text);

            // an MTU black hole: the server's end of carol's link takes no frame above 1300 bytes, and says nothing
            String carolLink = rig.link(CAROL).nameA();
            rig.serverNs().exec(T, "ip", "link", "set", carolLink, "mtu", "1300").orThrow("mtu 1300");
            Cli hole = diagnose(sock, "alice", "carol");
            rig.serverNs().exec(T, "ip", "link", "set", carolLink, "mtu", "1500").orThrow("mtu 1500");
            assertEquals(3, hole.code(), hole::text);
            assertTrue(hole.out().contains("[FAULT] path MTU: MTU black hole: packets of up to "), hole::text);
            Matcher mtu = PATH_MTU.matcher(hole.out());
            assertTrue(mtu.find(), hole::text);
            int measured = Integer.parseInt(mtu.group(1));
            assertTrue(measured > 1100 && measured < 1300, () -> "path MTU " + measured + "\n" + hole.text());
            System.out.printf("path check: working path MTU 1500, black hole behind a 1300-byte veth: %d%n", measured);
            rig.stopServer();

            // client-to-client off: the second (and last) start
            // (the pair policy goes too: Culvert refuses it without client-to-client)
            String conf = Files.readString(rig.serverConfig()).replace("client-to-client\n", "")
                    .replace("setenv opt culvert-c2c-deny alice bob\n", "");
            Files.writeString(rig.serverConfig(), conf);
            rig.startCulvertServer();
            rig.startCulvertClient(ALICE);
            rig.startStockClient(CAROL);
            try (ManagementClient m = ManagementClient.unix(sock, T)) {
                m.nextLine();
                assertFault(m.multi("diagnose alice carol noprobe"), "client-to-client",
                        "client-to-client is off: the server hands alice's packets for other clients to its host, which"
                                + " does not forward them (ip_forward=0)");
            }
            PingResult noC2c = rig.clientNs(ALICE).ping(rig.tunnelAddr(CAROL), 3);
            assertEquals(0, noC2c.received(), noC2c::output);
        }
    }

    /** The reply's first fault is {@code check} and says {@code words} (a prefix of its sentence). */
    private static void assertFault(List<String> reply, String check, String words) {
        String fault = reply.stream().filter(l -> l.contains("[FAULT]")).findFirst()
                .orElseThrow(() -> new AssertionError("no fault in " + String.join("\n", reply)));
        assertTrue(fault.matches("\\d+\\. \\[FAULT\\] " + Pattern.quote(check) + ": " + Pattern.quote(words) + ".*"),
                () -> String.join("\n", reply));
        assertTrue(reply.getFirst().contains(" cannot reach "), reply::toString);
    }

    private record Cli(int code, String out, String err) {
        String text() {
            return "exit " + code + "\n" + out + err;
        }
    }

    /** {@code ./culvert server diagnose A B --management SOCKET}, as an admin types it. */
    private static Cli diagnose(Path sock, String a, String b) throws IOException, InterruptedException {
        Path out = Files.createTempFile("culvert-diagnose", ".out");
        Path err = Files.createTempFile("culvert-diagnose", ".err");
        try {
            Process p = new ProcessBuilder(OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "diagnose",
                    a, b, "--management", sock.toString()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("culvert server diagnose did not end: " + Files.readString(out));
            }
            return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
