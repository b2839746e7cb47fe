package io.culvert.engine.sys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Linux suspend clock reads the kernel's boot clock, and stands still while the machine is awake. */
class SuspendClockTest {
    @Test
    void readsTheBootClockLessTheMonotonicClock() throws Exception {
        SuspendClock clock = SuspendClock.linux();
        long before = clock.suspendedMillis();
        String uptime = Files.readString(Path.of("/proc/uptime"));
        long expected = (long) (Double.parseDouble(uptime.substring(0, uptime.indexOf(' '))) * 1000)
                - System.nanoTime() / 1_000_000;
        Thread.sleep(300);
        long after = clock.suspendedMillis();
        assertTrue(Math.abs(before - expected) <= 50, () -> "read " + before + " ms, /proc/uptime says " + expected);
        assertTrue(Math.abs(after - before) <= 50, () -> "awake, yet the clock moved from " + before + " to " + after);
    }
}
