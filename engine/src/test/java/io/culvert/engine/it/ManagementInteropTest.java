package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speaks OpenVPN's management protocol to {@code ./culvert client} and {@code ./culvert server} and to stock
 * openvpn 2.6 started with the same {@code management} settings, and compares the replies' structure (prefixes,
 * headers, separators, column counts, field kinds), not their values.
 */
@NetnsTest
@ControlPlaneOnly
class ManagementInteropTest {
    private static final Duration SOCKET = Duration.ofSeconds(30);
    private static final Duration RECONNECT = Duration.ofSeconds(40);
    private static final String STATE_LINE = "\\d+,[A-Z_]+,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*";
    private static final List<String> COMMON = List.of("hold", "foo", "signal FOO", "pid", "bytecount 0",
            "state x", "client-kill");

    @Test
    void culvertClientAnswersLikeStockClient(@TempDir Path dir) {
        Path sock = dir.resolve("cli.sock");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "", "management " + sock + " unix\n")) {
            Map<String, List<String>> stock;
            try (OpenvpnProcess client = rig.startStockClient()) {
                stock = clientTranscript(sock);
            }
            Map<String, List<String>> culvert;
            try (OpenvpnProcess client = rig.startCulvertClient()) {
                culvert = clientTranscript(sock);
            }
            assertSameShape(stock, culvert);
            assertEquals(List.of("OpenVPN STATISTICS", "Updated,<date>", "TUN/TAP read bytes,#", "TUN/TAP write bytes,#",
                    "TCP/UDP read bytes,#", "TCP/UDP write bytes,#", "Auth read bytes,#", "END"),
                    ManagementShape.of(culvert.get("status 2")));
        }
    }

    @Test
    void culvertServerAnswersLikeStockServer(@TempDir Path dir) throws Exception {
        Path stockSock = dir.resolve("srv.sock");
        Path culvertSock = dir.resolve("csrv.sock");
        Map<String, List<String>> stock;
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "management " + stockSock + " unix\n", "")) {
            try (OpenvpnProcess client = rig.startStockClient()) {
                stock = serverTranscript(stockSock, StockOpenvpn.peerIs27OrLater());
            }
            rig.server().stop();
            Path conf = dir.resolve("culvert-server.conf");
            Files.writeString(conf, Files.readString(rig.serverConfig()).replace(stockSock.toString(), culvertSock.toString()));
            try (OpenvpnProcess server = OpenvpnProcess.command(rig.serverNs(), dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", conf.toString())
                    .awaitInitialized(Duration.ofSeconds(60));
                    OpenvpnProcess client = rig.startStockClient()) {
                Map<String, List<String>> culvert = serverTranscript(culvertSock, false);
                assertSameShape(stock, culvert);
                assertTrue(server.isAlive(), server.logTail(30));
            }
        }
    }

    private static Map<String, List<String>> clientTranscript(Path sock) {
        Map<String, List<String>> t = new LinkedHashMap<>();
        try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
            t.put("greeting", List.of(m.nextLine()));
            for (String c : List.of("status", "status 1", "status 2", "status 3", "state", "version")) {
                t.put(c, m.multi(c));
            }
            for (String c : COMMON) {
                t.put(c, List.of(m.single(c)));
            }
            t.put("kill x", List.of(m.single("kill x")));
            t.put("client-kill 1", List.of(m.single("client-kill 1")));
            t.put("bytecount 1", List.of(m.single("bytecount 1"), m.awaitNotification(">BYTECOUNT:", Duration.ofSeconds(5))));
            m.single("bytecount 0");
            checkHistory(m);
            t.put("state on", List.of(m.single("state on")));
            t.put("signal SIGUSR1", List.of(m.single("signal SIGUSR1")));
            t.put(">STATE reconnecting", List.of(m.awaitNotification(">STATE:", RECONNECT)));
            String connected;
            do {
                connected = m.awaitNotification(">STATE:", RECONNECT);
            } while (!connected.contains(",CONNECTED,"));
            t.put(">STATE connected", List.of(connected));
            t.put("state after reconnect", m.multi("state"));
            assertFalse(m.sawBareLineFeed(), "every line ends in CRLF");
        }
        return t;
    }

    /**
     * {@code killByProto}: name the client to {@code kill} as OpenVPN 2.7 wants it, {@code udp:IP:port} (2.7 reads a
     * bare {@code IP:port} as a common name); Culvert takes 2.6's {@code IP:port}.
     */
    private static Map<String, List<String>> serverTranscript(Path sock, boolean killByProto) {
        String kill = killByProto ? "kill udp:" : "kill ";
        Map<String, List<String>> t = new LinkedHashMap<>();
        try (ManagementClient m = ManagementClient.unix(sock, SOCKET)) {
            t.put("greeting", List.of(m.nextLine()));
            for (String c : List.of("status", "status 1", "status 2", "status 3", "state", "version")) {
                t.put(c, m.multi(c));
            }
            for (String c : COMMON) {
                t.put(c, List.of(m.single(c)));
            }
            for (String c : List.of("load-stats", "kill nobody", "kill 192.0.2.1:5", "client-kill 99999")) {
                t.put(c, List.of(m.single(c.replace("kill 192.", kill + "192."))));
            }
            t.put("bytecount 1", List.of(m.single("bytecount 1"),
                    m.awaitNotification(">BYTECOUNT_CLI:", Duration.ofSeconds(5))));
            m.single("bytecount 0");
            checkHistory(m);
            String[] client = awaitClient(m);
            t.put("kill ip:port", List.of(m.single(kill + client[2].replaceFirst("^[a-z0-9-]+:(?=\\d)", ""))));
            client = awaitClient(m);
            t.put("kill cn", List.of(m.single("kill " + client[1])));
            client = awaitClient(m);
            t.put("client-kill cid", List.of(m.single("client-kill " + client[10])));
            assertFalse(m.sawBareLineFeed(), "every line ends in CRLF");
        }
        return t;
    }

    /**
     * Waits until {@code status 2} lists an authenticated client (stock openvpn lists a reconnecting client as
     * {@code UNDEF} until its TLS handshake is done); returns its CLIENT_LIST fields.
     */
    private static String[] awaitClient(ManagementClient m) {
        long deadline = System.nanoTime() + RECONNECT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : m.multi("status 2")) {
                if (l.startsWith("CLIENT_LIST,") && !l.startsWith("CLIENT_LIST,UNDEF,")) {
                    return l.split(",", -1);
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no client reconnected within " + RECONNECT);
    }

    /** History replies: every state line has OpenVPN's eight fields, every log line time,flags,message. */
    private static void checkHistory(ManagementClient m) {
        List<String> states = m.multi("state all");
        assertTrue(states.size() >= 2, states::toString);
        states.subList(0, states.size() - 1).forEach(l -> assertTrue(l.matches(STATE_LINE), l));
        List<String> logs = m.multi("log 5");
        assertTrue(logs.size() >= 2 && logs.size() <= 6, logs::toString);
        logs.subList(0, logs.size() - 1).forEach(l -> assertTrue(l.matches("\\d+,[IFNWD]?,.+"), l));
        assertEquals("END", logs.getLast());
    }

    private static void assertSameShape(Map<String, List<String>> stock, Map<String, List<String>> culvert) {
        culvert.forEach((command, reply) -> System.out.println("culvert '" + command + "' -> " + reply));
        assertEquals(stock.keySet(), culvert.keySet());
        for (String command : stock.keySet()) {
            assertEquals(ManagementShape.ofStock(stock.get(command)), ManagementShape.of(culvert.get(command)),
                    () -> "reply to '" + command + "'\nstock:   " + stock.get(command) + "\nculvert: " + culvert.get(command));
        }
    }
}
