package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.Pairing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With default configs (OpenVPN 2.6's {@code mssfix 1492 mtu}), bulk TCP through the tunnel in both directions never
 * makes the kernel fragment an outer datagram on the 1500-byte veth: both ends clamp the MSS of SYN and SYN-ACK so
 * that the whole outer packet fits. A Culvert end that left out the outer IP and UDP headers, or clamped only one
 * direction, shows up here as IP fragments counted by the kernel ({@code Ip: FragCreates}, {@code ReasmReqds}).
 */
@NetnsTest
class OuterFragmentationInteropTest {
    private static final int PORT = 1194;
    private static final int SECONDS = 3;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Pairing.class)
    void defaultMssfixLeavesNoOuterFragments(Pairing pairing, @TempDir Path dir) throws Exception {
        run(pairing, dir, false);
    }

    /** The stock end says {@code mssfix 0}, so the Culvert end alone must clamp SYN and SYN-ACK, both directions. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Pairing.class, names = {"CULVERT_STOCK", "STOCK_CULVERT"})
    void culvertEndAloneLeavesNoOuterFragments(Pairing pairing, @TempDir Path dir) throws Exception {
        run(pairing, dir, true);
    }

    private static void run(Pairing pairing, Path dir, boolean stockEndUnclamped) throws Exception {
        Scenario scenario = Scenario.UDP_TLS_CRYPT_GCM;
        try (TwoHosts hosts = TwoHosts.create("fr", scenario, dir, PORT)) {
            if (stockEndUnclamped) {
                Path stockConf = pairing.culvertServer() ? hosts.clientConf() : hosts.serverConf();
                Files.writeString(stockConf, Files.readString(stockConf) + "mssfix 0\n");
            }
            try (TunnelPair pair = TunnelPair.start(pairing, OpenvpnProcess.repoRoot().resolve("culvert"), hosts.srv(), hosts.cli(), hosts.serverConf(),
                    hosts.clientConf(), dir, "frag")) {
                long before = fragments(hosts.srv()) + fragments(hosts.cli());
                double up = Iperf3.run(hosts.srv(), hosts.cli(), dir, SECONDS, false).receivedMbit();
                double down = Iperf3.run(hosts.srv(), hosts.cli(), dir, SECONDS, true).receivedMbit();
                long made = fragments(hosts.srv()) + fragments(hosts.cli()) - before;
                String report = String.format("%s%s: %.0f Mbit/s up, %.0f down, %d outer fragments", pairing.label(),
                        stockEndUnclamped ? " (stock end mssfix 0)" : "", up, down, made);
                System.out.println("fragments: " + report);
                assertTrue(up > 1 && down > 1, () -> "no bulk transfer: " + report + "\n" + pair.client().logTail(20));
                assertEquals(0, made, report);
            }
        }
    }

    /** Fragments the namespace's IPv4 stack created plus fragments it had to reassemble, since it was created. */
    static long fragments(Netns ns) {
        List<String> lines = ns.exec(Duration.ofSeconds(10), "cat", "/proc/net/snmp").output().lines()
                .filter(l -> l.startsWith("Ip: ")).toList();
        List<String> names = List.of(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        return Long.parseLong(values[names.indexOf("FragCreates")]) + Long.parseLong(values[names.indexOf("ReasmReqds")]);
    }
}
