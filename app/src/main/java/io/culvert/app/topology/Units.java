package io.culvert.app.topology;

import java.util.Locale;

/** Formats rates and byte counts for people ("12.3 kB/s"). Stateless. */
final class Units {
    private static final String[] PREFIX = {"", "k", "M", "G", "T"};

    private Units() {}

    static String bytes(double b) {
        int i = 0;
        while (b >= 1000 && i < PREFIX.length - 1) {
            b /= 1000;
            i++;
        }
        return i == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, b < 10 ? "%.1f %sB" : "%.0f %sB", b, PREFIX[i]);
    }

    static String rate(double bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    /** A count in at most four characters: 73, 1.2k, 34k, 5.6M. */
    static String count(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        double v = n;
        int i = 0;
        while (v >= 1000 && i < PREFIX.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f%s" : "%.0f%s", v, PREFIX[i]);
    }

    static String packets(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 10 ? "%.1f" : "%.0f", perSecond);
    }
}
