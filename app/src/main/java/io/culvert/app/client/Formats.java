package io.culvert.app.client;

import java.time.Duration;
import java.util.Locale;

/** Numbers as people read them: byte counts, rates, durations. Stateless. */
final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Formats() {}

    static String bytes(double n) {
        int u = 0;
        while (n >= 1024 && u < UNITS.length - 1) {
            n /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f %s", n, UNITS[u]) : String.format(Locale.ROOT, "%.1f %s", n, UNITS[u]);
    }

    static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    /** A remote's words "host [port [proto]]" as "host:port/proto". */
    static String remote(String words) {
        String[] w = words.strip().split("\\s+");
        return w[0] + (w.length > 1 ? ":" + w[1] : "") + (w.length > 2 ? "/" + w[2] : "");
    }

    /** {@code h:mm:ss}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
