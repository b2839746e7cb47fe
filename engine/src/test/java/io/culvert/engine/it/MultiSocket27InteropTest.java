package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-socket config of {@link MultiSocketInteropTest} under stock OpenVPN 2.7 (the reference Culvert follows):
 * 2.7 reads the same {@code local * 1194 udp} / {@code local * 443 tcp-server} lines and takes the same UDP and
 * TCP clients at once, so the config is 2.7's own syntax and Culvert behaves as 2.7 does with it.
 */
@NetnsTest
@ExtendWith(Openvpn27Condition.class)
class MultiSocket27InteropTest {
    @Test
    void stock27TakesTheSameConfigAndClients(@TempDir Path dir) {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 2,
                MultiSocketInteropTest.MULTI_SOCKET)) {
            MultiSocketInteropTest.secondClientOverTcp(rig);
            rig.startStock27Server();
            rig.startStockClients();
            for (int i = 1; i <= 2; i++) {
                PingResult ping = rig.clientNs(i).ping(Scenario.SERVER_TUNNEL_ADDR, 3);
                int client = i;
                assertTrue(ping.noLoss(), () -> "client " + client + " -> 2.7 server\n" + ping.output());
            }
            PingResult across = rig.clientNs(1).ping(rig.tunnelAddr(2), 3);
            assertTrue(across.noLoss(), across::output);
            assertEquals(2, rig.awaitFreshStatus().commonNames().size());
        }
    }
}
