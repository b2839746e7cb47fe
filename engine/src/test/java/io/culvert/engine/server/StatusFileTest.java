package io.culvert.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileTest {
    private static final Instant T0 = Instant.parse("2026-11-22T00:33:38Z");

    private static InstanceInfo alice(long bytesIn, long bytesOut) {
        return InstanceInfo.builder(0, "alice").realAddress("10.201.1.2:42691").virtualAddresses(List.of("10.77.0.2"))
                .macs(List.of("9a:4f:0a:9c:6c:2d")).cipher("AES-256-GCM").connectedSince(T0).bytes(bytesIn, bytesOut)
                .packets(10, 11).build();
    }

    private static InstanceInfo bob() {
        return InstanceInfo.builder(3, "bob").realAddress("10.201.2.2:1194")
                .virtualAddresses(List.of("10.77.0.3", "192.168.9.0/24")).cipher("AES-256-GCM")
                .connectedSince(T0.plusSeconds(2)).bytes(5, 6).packets(1, 1).build();
    }

    @Test
    void rendersStatusVersion1WithFlowLinesBeforeEnd() {
        String text = StatusFile.render(T0.plusSeconds(8), List.of(alice(3024, 2736), bob()),
                Map.of(0, T0.plusSeconds(6)),
                List.of(new FlowEdge(0, 3, FlowEdge.Kind.CLIENT_TO_CLIENT, 20, 1680),
                        new FlowEdge(3, FlowEdge.SERVER, FlowEdge.Kind.UNICAST_VIA_SERVER, 4, 336),
                        new FlowEdge(7, 0, FlowEdge.Kind.BROADCAST, 1, 42)),
                false, ZoneOffset.UTC);
        assertEquals("""
                OpenVPN CLIENT LIST
                Updated,2026-11-22 00:33:46
                Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since
                alice,10.201.1.2:42691,3024,2736,2026-11-22 00:33:38
                bob,10.201.2.2:1194,5,6,2026-11-22 00:33:40
                ROUTING TABLE
                Virtual Address,Common Name,Real Address,Last Ref
                10.77.0.2,alice,10.201.1.2:42691,2026-11-22 00:33:44
                10.77.0.3,bob,10.201.2.2:1194,2026-11-22 00:33:40
                192.168.9.0/24,bob,10.201.2.2:1194,2026-11-22 00:33:40
                GLOBAL STATS
                Max bcast/mcast queue length,0
                FLOW,alice,bob,CLIENT_TO_CLIENT,20,1680
                FLOW,bob,server,UNICAST_VIA_SERVER,4,336
                FLOW,peer-7,alice,BROADCAST,1,42
                END
                """, text);
    }

    @Test
    void tapRoutingTableListsLearnedMacsWithVlanZero() {
        String text = StatusFile.render(T0, List.of(alice(1, 1), bob()), Map.of(), List.of(), true, ZoneOffset.UTC);
        assertTrue(text.contains("\n9a:4f:0a:9c:6c:2d@0,alice,10.201.1.2:42691,2026-11-22 00:33:38\n"), text);
        assertFalse(text.contains("10.77.0."), text);
    }

    @Test
    void writesOnFirstTickThenEveryPeriodAndWhenStopping(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("status.log");
        AtomicInteger reads = new AtomicInteger();
        StatusFile status = new StatusFile(file, 10, false, () -> {
            reads.incrementAndGet();
            return List.of(alice(1, 1));
        }, List::of, ZoneOffset.UTC);
        long t = T0.toEpochMilli();
        status.tick(t, false);
        assertEquals(1, reads.get());
        assertTrue(Files.readString(file).startsWith("OpenVPN CLIENT LIST\nUpdated,2026-11-22 00:33:38\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        status.tick(t + 9_999, false);
        assertEquals(1, reads.get());
        status.tick(t + 10_000, false);
        assertEquals(2, reads.get());
        assertTrue(Files.readString(file).contains("Updated,2026-11-22 00:33:48\n"));
        status.tick(t + 10_100, true);
        assertEquals(3, reads.get());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void lastRefMovesOnlyWhenCountersMove(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("status.log");
        List<InstanceInfo> now = new ArrayList<>(List.of(alice(100, 100)));
        StatusFile status = new StatusFile(file, 1, false, () -> List.copyOf(now), List::of, ZoneOffset.UTC);
        long t = T0.toEpochMilli();
        status.tick(t + 5_000, false);
        assertTrue(Files.readString(file).contains("10.77.0.2,alice,10.201.1.2:42691,2026-11-22 00:33:43\n"));
        status.tick(t + 7_000, false);
        assertTrue(Files.readString(file).contains("10.77.0.2,alice,10.201.1.2:42691,2026-11-22 00:33:43\n"),
                "idle instance keeps its last reference");
        now.set(0, alice(200, 100));
        status.tick(t + 9_000, false);
        assertTrue(Files.readString(file).contains("10.77.0.2,alice,10.201.1.2:42691,2026-11-22 00:33:47\n"));
    }

    @Test
    void unwritableDirectoryDoesNotThrow(@TempDir Path dir) {
        StatusFile status = new StatusFile(dir.resolve("missing/status.log"), 1, false, List::of, List::of, ZoneOffset.UTC);
        status.tick(0, false);
        status.tick(0, true);
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
