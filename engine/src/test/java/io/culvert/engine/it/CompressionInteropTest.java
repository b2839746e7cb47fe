package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compression with stock openvpn 2.6: a server with {@code allow-compression yes} that pushes {@code comp-lzo yes}
 * or {@code compress lz4-v2} really compresses its replies to large zero-filled pings, and {@code ./culvert client}
 * with {@code allow-compression asym} decompresses them (its counters show fewer link bytes in than tun bytes
 * out); the stock client with the same profile works too. And {@code ./culvert server} with {@code comp-lzo yes}
 * accepts a stock client that compresses. OpenVPN 2.7 never compresses what it sends ({@code allow-compression yes}
 * means {@code asym}, as its log says): against 2.7 the same configs must still carry the pings, uncompressed.
 */
@NetnsTest
class CompressionInteropTest {
    private static final Pattern TRAFFIC = Pattern.compile("Traffic: tun in (\\d+) out (\\d+), link in (\\d+) out (\\d+), dropped \\{(.*)}");
    private static final int PINGS = 20;
    /** What OpenVPN 2.7 logs for {@code allow-compression yes}, which it runs as {@code asym}. */
    private static final String NO_SEND_COMPRESSION_27 = "\"--allow-compression yes\" has been removed. "
            + "We will use \"asym\" mode instead.";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"comp-lzo yes", "compress lz4-v2"})
    void culvertClientDecompressesWhatAStockServerCompresses(String compression, @TempDir Path dir) {
        String serverExtra = "allow-compression yes\n" + compression + "\npush \"" + compression + "\"\n";
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, serverExtra, "allow-compression asym\n")) {
            OpenvpnProcess stock = rig.startStockClient();
            PingResult stockPing = bigZeroPing(rig.clientNs(), PINGS);
            assertTrue(stockPing.noLoss(), () -> "stock client with the same profile failed:\n" + stockPing.output()
                    + "\n" + stock.logTail(30));
            stock.stop();

            OpenvpnProcess client = rig.startCulvertClient();
            PingResult ping = bigZeroPing(rig.clientNs(), PINGS);
            assertTrue(ping.noLoss(), () -> "large pings through the Culvert tunnel lost packets:\n" + ping.output()
                    + "\nclient log:\n" + client.logTail(40) + "\nserver log:\n" + rig.server().logTail(30));
            client.stop();
            long[] t = traffic(client);
            // PINGS echo replies of 1228 zero-filled bytes went to tun; uncompressed they alone would exceed this
            assertTrue(t[1] >= PINGS * 1228L, () -> "tun out " + t[1] + "\n" + client.logTail(20));
            if (StockOpenvpn.peerIs27OrLater()) {
                assertTrue(rig.server().log().contains(NO_SEND_COMPRESSION_27), () -> rig.server().logTail(40));
            } else {
                assertTrue(t[2] < t[1], () -> "link in " + t[2] + " not below tun out " + t[1]
                        + ": the server's replies were not compressed\n" + client.logTail(20));
            }
            assertFalse(client.log().contains("BAD_COMPRESSION"), () -> client.logTail(20));
            assertTrue(client.log().contains("allow-compression is enabled"), () -> client.logTail(40));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"comp-lzo yes", "compress lz4-v2"})
    void culvertServerAcceptsAStockClientThatCompresses(String compression, @TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("z", scenario, dir, 1194,
                "allow-compression yes\n" + compression + "\npush \"" + compression + "\"\n", "allow-compression yes\n")) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess stock = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                String compressing = StockOpenvpn.peerIs27OrLater() ? "Compression for receiving enabled"
                        : "Compression for sending and receiving enabled";
                assertTrue(stock.log().contains(compressing), () -> stock.logTail(40));
                PingResult ping = bigZeroPing(cli, PINGS);
                assertTrue(ping.noLoss(), () -> ping.output() + "\nclient:\n" + stock.logTail(30)
                        + "\nserver:\n" + server.logTail(40));
                PingResult small = cli.ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                assertTrue(small.noLoss(), small::output);
            }
        }
    }

    /**
     * An old-style pair of configs: bare {@code comp-lzo} on both sides and no allow-compression anywhere, which 2.6
     * runs as "asym" (receive compressed, send uncompressed). Culvert loads the same server.conf and client profile.
     */
    @Test
    void legacyCompLzoConfigsWorkUnchanged(@TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("l", scenario, dir, 1194, "comp-lzo\n", "comp-lzo\n")) {
            Netns srv = hosts.srv();
            Netns cli = hosts.cli();
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            try (OpenvpnProcess server = OpenvpnProcess.command(srv, dir, dir.resolve("culvert-server.log"),
                    OpenvpnProcess.repoRoot().resolve("culvert").toString(), "server", "--config", serverConf.toString())
                    .awaitInitialized(InteropRig.STARTUP)) {
                try (OpenvpnProcess stock = OpenvpnProcess.stock(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult ping = bigZeroPing(cli, 5);
                    assertTrue(ping.noLoss(), () -> "stock client → culvert server:\n" + ping.output() + stock.logTail(30)
                            + "\nserver:\n" + server.logTail(30));
                }
                try (OpenvpnProcess ours = OpenvpnProcess.culvertClient(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                    PingResult ping = bigZeroPing(cli, 5);
                    assertTrue(ping.noLoss(), () -> "culvert client → culvert server:\n" + ping.output() + ours.logTail(30));
                }
            }
            try (OpenvpnProcess stockServer = OpenvpnProcess.stock(srv, serverConf, dir).awaitInitialized(InteropRig.STARTUP);
                    OpenvpnProcess ours = OpenvpnProcess.culvertClient(cli, clientConf, dir).awaitInitialized(InteropRig.STARTUP)) {
                PingResult ping = bigZeroPing(cli, 5);
                assertTrue(ping.noLoss(), () -> "culvert client → stock server:\n" + ping.output() + ours.logTail(30)
                        + "\nserver:\n" + stockServer.logTail(30));
            }
        }
    }

    /** {@code ping -s 1200 -p 00}: compressible, so a compressing peer really compresses it. */
    private static PingResult bigZeroPing(Netns ns, int count) {
        return ns.ping(Scenario.SERVER_TUNNEL_ADDR, count, "-s", "1200", "-p", "00");
    }

    /** tun in, tun out, link in, link out from the client's final Traffic line. */
    private static long[] traffic(OpenvpnProcess client) {
        List<String> lines = client.log().lines().filter(l -> l.contains("Traffic: ")).toList();
        assertEquals(1, lines.size(), () -> "expected one Traffic line:\n" + client.logTail(20));
        Matcher m = TRAFFIC.matcher(lines.getFirst());
        assertTrue(m.find(), lines.getFirst());
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4))};
    }
}
