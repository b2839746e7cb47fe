package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status FILE 1} in a client profile (common in real ones; it used to stop {@code ./culvert client} with an
 * IllegalStateException): stock openvpn 2.6 and {@code ./culvert client} with the same profile both write the client
 * statistics block, with the same lines and the same permissions, and Culvert's counters count the pings.
 */
@NetnsTest
@ControlPlaneOnly
class ClientStatusFileInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void clientStatusFileIsWrittenLikeStockClient(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client-status.log");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir, "", "status " + file + " 1\n")) {
            List<String> stock;
            String stockMode;
            try (OpenvpnProcess client = rig.startStockClient()) {
                assertTrue(rig.pingServer(3).noLoss());
                stock = awaitCounted(file);
                stockMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            }
            Files.delete(file);
            List<String> culvert;
            try (OpenvpnProcess client = rig.startCulvertClient()) {
                PingResult ping = rig.pingServer(3);
                assertTrue(ping.noLoss(), ping::output);
                culvert = awaitCounted(file);
                assertTrue(client.isAlive(), client.logTail(30));
            }
            System.out.println("stock:   " + stock + "\nculvert: " + culvert);
            assertEquals(ManagementShape.of(stock), ManagementShape.of(culvert));
            assertEquals(stockMode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(counter(culvert, "TUN/TAP read bytes") >= 3 * 84, culvert::toString);
            assertTrue(counter(culvert, "TCP/UDP write bytes") > counter(culvert, "TUN/TAP read bytes"), culvert::toString);
        }
    }

    /** Waits until the file is complete and counts at least three pings read from the tunnel device. */
    private static List<String> awaitCounted(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                lines = Files.readAllLines(file);
                if (!lines.isEmpty() && lines.getLast().equals("END") && counter(lines, "TUN/TAP read bytes") >= 3 * 84) {
                    return lines;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no complete status file counting the pings within " + WAIT + ": " + lines);
    }

    private static long counter(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + ",")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1)))
                .findFirst().orElse(-1);
    }
}
