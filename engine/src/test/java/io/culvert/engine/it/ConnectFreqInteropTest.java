package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connect-freq 1 60} (issue 11): the first stock client connects and carries traffic; a second one, started
 * within the minute, does not get a session, and the server logs why. Stock OpenVPN 2.6 with the same config does the
 * same (the second test), with the same log line.
 */
@NetnsTest
class ConnectFreqInteropTest {
    private static final String REFUSED = "would exceed new connection frequency limit as controlled by --connect-freq";

    @Test
    void culvertServerStartsOneSessionPerWindow(@TempDir Path dir) {
        oneSessionPerWindow(dir, true);
    }

    @Test
    void stockOpenvpn26DoesTheSame(@TempDir Path dir) {
        oneSessionPerWindow(dir, false);
    }

    private static void oneSessionPerWindow(Path dir, boolean culvert) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2, "connect-freq 1 60")) {
            if (culvert) {
                rig.startCulvertServer();
            } else {
                rig.startStockServer();
            }
            rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(ping.noLoss(), ping::output);
            OpenvpnProcess second = OpenvpnProcess.stock(rig.clientNs(2), rig.clientConfig(2), dir);
            try {
                rig.server().awaitLine(REFUSED, Duration.ofSeconds(30));
                sleep(5_000);
                assertFalse(second.log().contains(OpenvpnProcess.READY), second::log);
            } finally {
                second.stop();
            }
            PingResult still = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
            assertTrue(still.noLoss(), "the first client is not affected\n" + still.output());
            System.out.printf("connect-freq (%s): second client refused within the window%n", culvert ? "Culvert" : "stock 2.6");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
