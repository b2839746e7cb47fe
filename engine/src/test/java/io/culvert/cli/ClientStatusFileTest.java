package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.api.TrafficStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientStatusFileTest {

    @Test
    void writesOpenvpnsClientStatisticsAtStartAndTheFinalCountersOnClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.status");
        AtomicReference<TrafficStats> stats = new AtomicReference<>(TrafficStats.NONE);
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-02T03:04:05Z"));
        ClientStatusFile status = new ClientStatusFile(file, 3600, stats::get, clock, ZoneOffset.UTC).start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("OpenVPN STATISTICS\nUpdated,2026-01-02 03:04:05\nTUN/TAP read bytes,0\nTUN/TAP write bytes,0\n"
                + "TCP/UDP read bytes,0\nTCP/UDP write bytes,0\nAuth read bytes,0\nEND\n", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        stats.set(TrafficStats.builder().tunBytes(100, 200).tunPackets(1, 2).linkBytes(3000, 4000).build());
        status.close();
        assertEquals("OpenVPN STATISTICS\nUpdated,2026-01-02 03:04:05\nTUN/TAP read bytes,200\nTUN/TAP write bytes,100\n"
                + "TCP/UDP read bytes,3000\nTCP/UDP write bytes,4000\nAuth read bytes,100\nEND\n", Files.readString(file));
    }
}
