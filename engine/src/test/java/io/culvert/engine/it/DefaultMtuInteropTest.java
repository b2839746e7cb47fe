package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Default configs (no {@code mssfix}, {@code tun-mtu} or {@code fragment} lines), UDP over IPv4 and over IPv6: bulk TCP
 * through the tunnel in both directions leaves no outer IP fragment on the 1500-byte veth in either namespace, and
 * the MSS each inner TCP endpoint is offered in the SYN or SYN-ACK it receives (tcpdump on the tunnel side) is at most
 * what stock openvpn 2.6 offers between two stock ends in the same test, and not more than {@link #SLACK} bytes
 * below it. Stock↔stock runs first as the reference, then Culvert↔Culvert, Culvert client↔stock server and stock
 * client↔Culvert server. Two stock OpenVPN 2.7 ends use the epoch data format, whose 64-bit packet id costs
 * {@link #EPOCH_EXTRA} bytes more than DATA_V2's (2.7's {@code mtu.c}, {@code calc_packet_id_size_dc}); the references
 * are stock's MSS as without the epoch format, and a pairing whose stock client logs the epoch format (Culvert speaks it
 * with 2.7 and with itself) must clamp those bytes lower.
 */
@NetnsTest(tools = {"iperf3", "tcpdump"})
class DefaultMtuInteropTest {
    private static final int PORT = 1194;
    private static final int IPERF_PORT = 5201;
    private static final int SECONDS = 2;
    /** How far below stock's MSS a Culvert end may clamp (a different rounding) before it counts as wasting bytes. */
    private static final int SLACK = 32;
    /** The epoch format's packet id (8 bytes) less the AEAD DATA_V2 one (4 bytes). */
    private static final int EPOCH_EXTRA = 4;
    /** The protocol flag a 2.7 server pushes, and its client logs, when both use the epoch data format. */
    private static final String EPOCH_FLAG = "aead-epoch";
    private static final String SERVER6 = "fd00:202::1";
    private static final String CLIENT6 = "fd00:202::2";

    /**
     * What one pairing showed; immutable.
     *
     * @param toServerMss MSS in the SYN the server's TCP endpoint received (bounds server→client segments)
     * @param toClientMss MSS in the SYN-ACK the client's TCP endpoint received (bounds client→server segments)
     * @param epoch whether the client's log shows the epoch data format pushed ({@link #EPOCH_FLAG})
     */
    record Outcome(Pairing pairing, double upMbit, double downMbit, OuterFragments fragments, int toServerMss,
            int toClientMss, boolean epoch) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %.0f Mbit/s up, %.0f down, outer fragments %s, MSS offered to server %d,"
                    + " to client %d%s", pairing.label(), upMbit, downMbit, fragments, toServerMss, toClientMss,
                    epoch ? ", epoch data format" : "");
        }
    }

    @ParameterizedTest(name = "outer {0}")
    @ValueSource(strings = {"udp", "udp6"})
    void defaultConfigsNeitherFragmentNorOutclampStock(String outer, @TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("mtu", scenario, dir, PORT)) {
            Path serverConf = hosts.serverConf();
            Path clientConf = hosts.clientConf();
            if (outer.equals("udp6")) {
                Duration t = Duration.ofSeconds(10);
                hosts.srv().exec(t, "ip", "-6", "addr", "add", SERVER6 + "/64", "dev", hosts.link().nameA(), "nodad")
                        .orThrow("v6 server");
                hosts.cli().exec(t, "ip", "-6", "addr", "add", CLIENT6 + "/64", "dev", hosts.link().nameB(), "nodad")
                        .orThrow("v6 client");
                TestPki pki = TestPki.create(dir.resolve("pki6"));
                serverConf = Files.writeString(dir.resolve("server6.conf"),
                        scenario.serverConfig(pki, SERVER6, PORT).replace("proto udp\n", "proto udp6\n"));
                clientConf = Files.writeString(dir.resolve("client6.ovpn"),
                        scenario.clientConfig(pki, SERVER6, PORT, true).replace("proto udp\n", "proto udp6\n"));
            }
            for (Path conf : List.of(serverConf, clientConf)) {
                String text = Files.readString(conf);
                assertTrue(!text.contains("mssfix") && !text.contains("tun-mtu") && !text.contains("fragment"),
                        conf + " is not a default config:\n" + text);
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Pairing pairing : List.of(Pairing.STOCK_STOCK, Pairing.CULVERT_CULVERT, Pairing.CULVERT_STOCK,
                    Pairing.STOCK_CULVERT)) {
                outcomes.add(transfer(pairing, hosts, serverConf, clientConf, dir, outer));
                System.out.println("default MTU, outer " + outer + ": " + outcomes.getLast());
            }
            Outcome stock = outcomes.getFirst();
            assertTrue(stock.fragments().total() == 0 && stock.toServerMss() > 0 && stock.toClientMss() > 0,
                    () -> "the stock↔stock reference itself: " + stock);
            int extra = stock.epoch() ? EPOCH_EXTRA : 0;
            int refToServer = stock.toServerMss() + extra;
            int refToClient = stock.toClientMss() + extra;
            String ref = refToServer + "/" + refToClient + (stock.epoch() ? " (stock↔stock " + stock.toServerMss() + "/"
                    + stock.toClientMss() + " with the epoch format, + " + EPOCH_EXTRA + ")" : "");
            assertAll(outcomes.stream().skip(1).map(o -> () -> {
                assertTrue(o.upMbit() > 1 && o.downMbit() > 1, () -> "no bulk transfer: " + o);
                assertEquals(0, o.fragments().total(), () -> "outer IP fragments: " + o);
                int own = o.epoch() ? EPOCH_EXTRA : 0;
                assertTrue(o.toServerMss() <= refToServer - own && o.toClientMss() <= refToClient - own,
                        () -> "MSS above stock's " + ref + (own > 0 ? " less the epoch format's " + own : "") + ": " + o);
                assertTrue(o.toServerMss() >= refToServer - SLACK && o.toClientMss() >= refToClient - SLACK,
                        () -> "MSS more than " + SLACK + " below stock's " + ref + ": " + o);
            }));
        }
    }

    private static Outcome transfer(Pairing pairing, TwoHosts hosts, Path serverConf, Path clientConf, Path dir, String outer) {
        String tag = outer + "-" + pairing.name().toLowerCase(Locale.ROOT);
        try (TunnelPair pair = TunnelPair.start(pairing, OpenvpnProcess.repoRoot().resolve("culvert"), hosts.srv(), hosts.cli(),
                serverConf, clientConf, dir, tag)) {
            OuterFragments before = OuterFragments.read(hosts.srv(), hosts.cli());
            List<SynCapture.Syn> atServer;
            List<SynCapture.Syn> atClient;
            Iperf3.Result up;
            Iperf3.Result down;
            try (SynCapture srvCap = SynCapture.start(hosts.srv(), dir, tag + "-srv", IPERF_PORT);
                    SynCapture cliCap = SynCapture.start(hosts.cli(), dir, tag + "-cli", IPERF_PORT)) {
                up = Iperf3.run(hosts.srv(), hosts.cli(), dir, SECONDS, false);
                down = Iperf3.run(hosts.srv(), hosts.cli(), dir, SECONDS, true);
                atServer = srvCap.stop();
                atClient = cliCap.stop();
            }
            OuterFragments made = OuterFragments.read(hosts.srv(), hosts.cli()).minus(before);
            assertTrue(up.ok() && down.ok(), () -> pairing.label() + ": iperf3 failed: " + up.problem() + " / " + down.problem()
                    + "\nclient log:\n" + pair.client().logTail(20) + "\nserver log:\n" + pair.server().logTail(20));
            OptionalInt toServer = SynCapture.inboundMss(atServer, false);
            OptionalInt toClient = SynCapture.inboundMss(atClient, true);
            assertTrue(toServer.isPresent() && toClient.isPresent(),
                    () -> pairing.label() + ": no SYN/SYN-ACK captured: server side " + atServer + ", client side " + atClient);
            return new Outcome(pairing, up.receivedMbit(), down.receivedMbit(), made, toServer.getAsInt(), toClient.getAsInt(),
                    pair.client().log().contains(EPOCH_FLAG));
        }
    }
}
