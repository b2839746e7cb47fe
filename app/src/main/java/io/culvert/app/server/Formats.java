package io.culvert.app.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Numbers and times as the server manager shows them. Stateless and thread-safe. */
final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Formats() {}

    /** 1536 → "1.5 KiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    /** Bytes per second as bits per second, three significant digits: 1250 → "10.0 kbit/s", 54_625 → "437 kbit/s". */
    static String rate(long bytesPerSecond) {
        double bits = bytesPerSecond * 8.0;
        if (bits < 1000) {
            return String.format(Locale.ROOT, "%.0f bit/s", bits);
        }
        String[] units = {"kbit/s", "Mbit/s", "Gbit/s"};
        int u = -1;
        while (bits >= 1000 && u < units.length - 1) {
            bits /= 1000;
            u++;
        }
        String pattern = bits >= 100 ? "%.0f %s" : bits >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, bits, units[u]);
    }

    /** How long since {@code since}: "42s", "5m 03s", "2h 07m", "3d 04h". */
    static String age(Instant since, Instant now) {
        if (since == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(since, now).toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86400, s % 86400 / 3600);
    }
}
