package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Renegotiation between a stock openvpn 2.6 client and {@code ./culvert server}, started by either side, while
 * pings and a bulk transfer cross the tunnel; and server-started renegotiations while iperf3 fills the tunnel each
 * way, which is where the server's data path must switch keys between packets it opens and seals (ADR 0018).
 */
@NetnsTest
class CulvertServerRenegotiationTest {
    /** One per-second iperf3 interval's total rate ("sum" of an interval, not the final "sum_sent"/"sum_received"). */
    private static final Pattern INTERVAL = Pattern.compile("\"sum\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)");

    @ParameterizedTest(name = "{0} starts, {1}")
    @CsvSource({"server, tls-crypt", "client, tls-auth"})
    void stockClientSurvivesRenegotiationsWithCulvertServer(String initiator, String wrap, @TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("udp", "AES-256-GCM", null, wrap, "subnet", "tun");
        try (TwoHosts hosts = TwoHosts.create("r", scenario, dir, 1194,
                initiator.equals("server") ? "reneg-sec 8\n" : "reneg-sec 0\n",
                initiator.equals("client") ? "reneg-sec 8\n" : "reneg-sec 0\n")) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess client = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                ExecResult ping = cli.exec(Duration.ofSeconds(60), "ping", "-c", "100", "-i", "0.25", "-W", "2",
                        Scenario.SERVER_TUNNEL_ADDR);
                PingResult result = PingResult.parse(ping.output());
                TcpBlast.Result blast = TcpBlast.transfer(cli, srv, Scenario.SERVER_TUNNEL_ADDR, 30L << 20);
                String serverLog = server.log();
                long renegotiations = serverLog.lines().filter(l -> l.contains("renegotiat")).count();
                System.out.printf("%s-initiated renegotiation (%s): %d log lines, ping loss %.1f %%, blast %s%n", initiator, wrap,
                        renegotiations, result.lossPercent(), blast.ok() ? "ok" : "FAILED");
                assertTrue(renegotiations >= 2, () -> "expected renegotiations in 25 s with reneg-sec 8:\n" + server.logTail(40));
                assertTrue(result.received() >= 99, () -> "pings lost across renegotiation: " + result.output()
                        + "\nclient:\n" + client.logTail(40) + "\nserver:\n" + server.logTail(40));
                assertTrue(blast.ok(), () -> blast.report() + "\nserver:\n" + server.logTail(40));
                assertTrue(client.isAlive());
            }
        }
    }

    /**
     * The server renegotiates every 4 s while iperf3 runs 12 s each way: every key switch happens under full load,
     * with the server sealing (down) or opening (up) thousands of packets a second. The stock client is the judge: its
     * log must not show a replayed or undecryptable packet (a packet id sent twice, or a packet sealed on a key the
     * client no longer has), and bytes must cross the tunnel in both runs without a gap of two seconds (a key
     * mismatch stalls TCP until the next switch, 4 s; one empty second is allowed for a loaded machine).
     */
    @Test
    void renegotiationUnderFullLoadRepeatsNoPacketIdAndKeepsBytesFlowing(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario("udp", "AES-256-GCM", null, "tls-crypt", "subnet", "tun");
        try (TwoHosts hosts = TwoHosts.create("rl", scenario, dir, 1194, "reneg-sec 4\n", "reneg-sec 0\n")) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess client = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                long before = renegotiations(server.log());
                Iperf3.Result up = Iperf3.run(srv, cli, dir, 12, false);
                Iperf3.Result down = Iperf3.run(srv, cli, dir, 12, true);
                long during = renegotiations(server.log()) - before;
                List<String> bad = client.log().lines().filter(l -> {
                    String lower = l.toLowerCase(Locale.ROOT);
                    return lower.contains("replay") || lower.contains("decrypt error") || lower.contains("bad packet id");
                }).toList();
                System.out.printf("renegotiation under load: %d server renegotiations, up %.0f Mbit/s, down %.0f Mbit/s%n",
                        during, up.receivedMbit(), down.receivedMbit());
                assertTrue(up.ok() && down.ok(), () -> "iperf3 failed: " + up.problem() + " / " + down.problem()
                        + "\nserver:\n" + server.logTail(40));
                assertTrue(during >= 4, () -> "expected a renegotiation every 4 s during 24 s of load:\n" + server.logTail(40));
                assertTrue(bad.isEmpty(), () -> "the stock client saw replayed or undecryptable packets:\n"
                        + String.join("\n", bad) + "\nserver:\n" + server.logTail(40));
                assertTrue(!twoInARow(stalledSeconds(up.output())) && !twoInARow(stalledSeconds(down.output())),
                        () -> "seconds without bytes: up " + stalledSeconds(up.output()) + ", down "
                                + stalledSeconds(down.output()) + "\nclient:\n" + client.logTail(40));
                assertTrue(client.isAlive());
            }
        }
    }

    private static long renegotiations(String serverLog) {
        return serverLog.lines().filter(l -> l.contains("renegotiated data channel keys")).count();
    }

    private static boolean twoInARow(List<Integer> stalled) {
        for (int i = 1; i < stalled.size(); i++) {
            if (stalled.get(i) == stalled.get(i - 1) + 1) {
                return true;
            }
        }
        return false;
    }

    /** The indices of iperf3's one-second intervals in which nothing arrived. */
    private static List<Integer> stalledSeconds(String json) {
        List<Integer> stalled = new ArrayList<>();
        Matcher m = INTERVAL.matcher(json);
        for (int i = 0; m.find(); i++) {
            if (Double.parseDouble(m.group(1)) <= 0) {
                stalled.add(i);
            }
        }
        return stalled;
    }
}
