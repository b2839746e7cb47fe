package io.culvert.engine.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long the machine has been asleep (suspended) since it booted, in milliseconds, up to a constant: the boot clock,
 * which runs through a suspend, less the monotonic clock, which stops. It grows only while the machine sleeps, so a
 * jump between two readings means it has just resumed. Tests pass a double (any lambda).
 */
@FunctionalInterface
public interface SuspendClock {
    long suspendedMillis();

    /**
     * Linux: {@code /proc/uptime} (CLOCK_BOOTTIME, 10 ms steps) less {@link System#nanoTime()} (CLOCK_MONOTONIC), no
     * native call. Where {@code /proc/uptime} cannot be read it reads 0, and no resume is ever seen.
     */
    static SuspendClock linux() {
        Path uptime = Path.of("/proc/uptime");
        return () -> {
            try {
                String text = Files.readString(uptime, StandardCharsets.US_ASCII);
                int space = text.indexOf(' ');
                double bootSeconds = Double.parseDouble(space < 0 ? text.strip() : text.substring(0, space));
                return (long) (bootSeconds * 1000) - System.nanoTime() / 1_000_000;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        };
    }
}
