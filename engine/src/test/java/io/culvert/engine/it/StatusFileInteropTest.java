package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status FILE 3600} in {@code ./culvert server}: written when the server starts, then not until it stops. */
@NetnsTest
@ControlPlaneOnly
class StatusFileInteropTest {

    @Test
    void statusIsWrittenAtStartAndAgainWhenTheServerStops(@TempDir Path dir) throws Exception {
        try (MultiClientRig rig = MultiClientRig.create(Scenario.UDP_TLS_CRYPT_GCM, dir, 1,
                "status " + dir.resolve("status.log") + " 3600")) {
            rig.startCulvertServer();
            StatusSnapshot first = rig.awaitStatusAfter(FileTime.fromMillis(0), Duration.ofSeconds(5));
            assertEquals(List.of(), first.commonNames(), first.text());
            FileTime firstWrite = Files.getLastModifiedTime(rig.statusFile());
            rig.startStockClient(1);
            PingResult ping = rig.clientNs(1).ping(Scenario.SERVER_TUNNEL_ADDR, 5);
            assertTrue(ping.noLoss(), ping::output);
            assertEquals(firstWrite, Files.getLastModifiedTime(rig.statusFile()), "rewritten before the period elapsed");
            rig.server().stop();
            StatusSnapshot last = rig.awaitStatusAfter(firstWrite, Duration.ofSeconds(5));
            assertEquals(List.of("client1"), last.commonNames(), last.text());
            assertTrue(last.packets("client1", "server", "UNICAST_VIA_SERVER") >= 5, last.text());
            assertTrue(last.packets("server", "client1", "UNICAST_VIA_SERVER") >= 5, last.text());
            assertTrue(last.routes().getFirst().startsWith(rig.tunnelAddr(1) + ",client1,10.201.1.2:"), last.text());
        }
    }
}
