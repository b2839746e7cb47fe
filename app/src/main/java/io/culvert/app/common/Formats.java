package io.culvert.app.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Numbers as every face of the app shows them, from this one place so that the same rate reads the same everywhere:
 * rates in bits per second with decimal prefixes (bit/s, kbit/s, Mbit/s, Gbit/s, as network tools and speed tests
 * print them), byte totals in binary units (B, KiB, MiB, GiB, TiB), durations and ages. Stateless and thread-safe.
 */
public final class Formats {
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final String[] RATE_UNITS = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};

    private Formats() {}

    /** A byte count in binary units: 512 → "512 B", 1536 → "1.5 KiB", 50 MiB → "50.0 MiB". */
    public static String bytes(double n) {
        int u = 0;
        while (n >= 1024 && u < BYTE_UNITS.length - 1) {
            n /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", n) : String.format(Locale.ROOT, "%.1f %s", n, BYTE_UNITS[u]);
    }

    /** Bytes per second as bits per second, three significant digits: 1250 → "10.0 kbit/s", 54_625 → "437 kbit/s". */
    public static String rate(double bytesPerSecond) {
        return bits(bytesPerSecond * 8);
    }

    /** Bits per second, three significant digits: 800 → "800 bit/s", 8e6 → "8.00 Mbit/s". */
    public static String bits(double bitsPerSecond) {
        double v = Math.max(0, bitsPerSecond);
        int u = 0;
        while (Math.round(v) >= 1000 && u < RATE_UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        String pattern = u == 0 || v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, v, RATE_UNITS[u]);
    }

    /**
     * An axis tick of a rate chart plotted in bits per second, without trailing zeros: 2.5e6 → "2.5 Mbit/s", 5e6 →
     * "5 Mbit/s", 0 → "0".
     */
    public static String bitsTick(double bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            return "0";
        }
        double v = bitsPerSecond;
        int u = 0;
        while (v >= 1000 && u < RATE_UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        String number = new java.math.BigDecimal(String.format(Locale.ROOT, "%.2f", v)).stripTrailingZeros().toPlainString();
        return number + " " + RATE_UNITS[u];
    }

    /** A count in at most four characters: 73, 1.2k, 34k, 5.6M. */
    public static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        String[] prefix = {"", "k", "M", "G", "T"};
        double v = n;
        int i = 0;
        while (v >= 1000 && i < prefix.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f%s" : "%.0f%s", v, prefix[i]);
    }

    /** Packets per second: one decimal below ten, none above. */
    public static String packets(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 10 ? "%.1f" : "%.0f", perSecond);
    }

    /** {@code h:mm:ss}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** How long since {@code since}: "42s", "5m 03s", "2h 07m", "3d 04h"; "" for null. */
    public static String age(Instant since, Instant now) {
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

    /** A remote's words "host [port [proto]]" as "host:port/proto". */
    public static String remote(String words) {
        String[] w = words.strip().split("\\s+");
        return w[0] + (w.length > 1 ? ":" + w[1] : "") + (w.length > 2 ? "/" + w[2] : "");
    }
}
