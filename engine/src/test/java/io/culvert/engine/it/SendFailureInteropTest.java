package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.Pairing;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host firewall refuses 5 % of the datagrams one end sends to the other ({@code drop} in the output chain, so
 * {@code sendto} fails with EPERM). Like stock openvpn, a Culvert end counts and drops the refused datagram and keeps
 * its session: no reconnect, bulk TCP still crosses the tunnel, and the refusals show as {@code SEND_FAILED} drops.
 * The client's send path is tried against a stock and a Culvert server, the server's against a Culvert and a stock
 * client.
 */
@NetnsTest
class SendFailureInteropTest {
    private static final int PORT = 1194;
    private static final int REFUSED_PERCENT = 5;
    private static final int SECONDS = 5;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Pairing.class, names = {"CULVERT_STOCK", "CULVERT_CULVERT"})
    void clientFirewallRefusingSendsDoesNotEndTheSession(Pairing pairing, @TempDir Path dir) throws Exception {
        run(pairing, dir, false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Pairing.class, names = {"STOCK_CULVERT", "CULVERT_CULVERT"})
    void serverFirewallRefusingSendsDoesNotEndTheSession(Pairing pairing, @TempDir Path dir) throws Exception {
        run(pairing, dir, true);
    }

    /** Sends refused between reading the rule's counter and removing the rule, which the counter cannot see. */
    private static final long IN_PASSING = 5;

    private static void run(Pairing pairing, Path dir, boolean serverSide) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("sf", scenario, dir, PORT)) {
            Path culvert = OpenvpnProcess.repoRoot().resolve("culvert");
            try (TunnelPair pair = TunnelPair.start(pairing, culvert, hosts.srv(), hosts.cli(), hosts.serverConf(), hosts.clientConf(), dir, "sendfail")) {
                Netns faulty = serverSide ? hosts.srv() : hosts.cli();
                LinkFaults.failUdpSends(faulty, serverSide ? hosts.link().addrB() : hosts.link().addrA(), REFUSED_PERCENT);
                // The refusing side sends the bulk data: client→server for the client, server→client for the server.
                double mbit = Iperf3.run(hosts.srv(), hosts.cli(), dir, SECONDS, serverSide).receivedMbit();
                long refused = LinkFaults.failedSends(faulty);
                LinkFaults.clear(faulty, "inet", "cvtsendfail");
                PingResult after = hosts.cli().ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                String serverLogBeforeExit = pair.server().log();
                pair.close();
                OpenvpnProcess culvertEnd = serverSide ? pair.server() : pair.client();
                String report = pairing.label() + ", " + (serverSide ? "server" : "client") + " refused " + refused
                        + " sends, " + String.format("%.1f", mbit) + " Mbit/s; Culvert log tail:\n" + culvertEnd.logTail(40);
                System.out.println("send failures: " + report.lines().findFirst().orElse(""));
                assertTrue(refused > 100, () -> "the firewall rule refused too little to test anything: " + report);
                assertTrue(mbit > 1, () -> "no bulk data crossed the tunnel while sends failed: " + report);
                assertTrue(after.noLoss(), () -> "tunnel broken after the send failures:\n" + after.output() + "\n" + report);
                long clientUps = pair.client().log().lines().filter(l -> l.contains(OpenvpnProcess.READY)).count();
                assertEquals(1, clientUps, () -> "the client reconnected: " + report + "\nclient:\n" + pair.client().logTail(40));
                assertFalse(culvertEnd.log().contains("Connection lost"), report);
                assertFalse(serverLogBeforeExit.contains("disconnected") || serverLogBeforeExit.contains("client-instance exiting"),
                        () -> "the server dropped the client: " + report);
                long counted = serverSide ? serverDrop(pair.server(), "SEND_FAILED")
                        : HostileLinkInteropTest.drops(pair.client()).getOrDefault("SEND_FAILED", 0L);
                // The rule's counter is read a moment before the rule goes: a send or two in that moment (iperf3's
                // teardown, a keepalive) is refused and counted by Culvert but not in `refused` (CI saw 7336 for 7335).
                assertTrue(counted >= refused * 9 / 10 && counted <= refused + IN_PASSING, () -> "SEND_FAILED " + counted
                        + " for " + refused + " refused sends: " + report);
                assertTrue(culvertEnd.log().contains("failed: Operation not permitted"), () -> "refusal not logged: " + report);
            }
        }
    }

    /** One drop counter from the Culvert server's {@code Server totals} line. */
    private static long serverDrop(OpenvpnProcess server, String reason) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Server totals: .*drops=\\{([^}]*)}").matcher(server.log());
        assertTrue(m.find(), () -> "no Server totals line:\n" + server.logTail(20));
        Map<String, Long> drops = new java.util.HashMap<>();
        for (String entry : m.group(1).split(",\\s*")) {
            if (!entry.isBlank()) {
                String[] kv = entry.split("=");
                drops.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
            }
        }
        return drops.getOrDefault(reason, 0L);
    }
}
