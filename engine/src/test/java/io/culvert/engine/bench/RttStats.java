package io.culvert.engine.bench;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Round-trip times of one {@code ping} run, per reply, with percentiles; immutable.
 *
 * @param sent echo requests sent
 * @param millis the RTT of every reply, sorted ascending
 */
record RttStats(int sent, List<Double> millis) {
    private static final Pattern TIME = Pattern.compile("time=([0-9.]+) ms");
    private static final Pattern SENT = Pattern.compile("(\\d+) packets transmitted");

    /** Parses iputils ping output: one {@code time=X ms} per reply, the summary's transmitted count. */
    static RttStats parse(String pingOutput) {
        Matcher t = TIME.matcher(pingOutput);
        List<Double> values = t.results().map(r -> Double.parseDouble(r.group(1))).sorted().toList();
        Matcher s = SENT.matcher(pingOutput);
        return new RttStats(s.find() ? Integer.parseInt(s.group(1)) : 0, values);
    }

    /** The {@code p}-th percentile (nearest rank), NaN without replies. */
    double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * millis.size());
        return millis.get(Math.clamp(rank - 1, 0, millis.size() - 1));
    }

    int lost() {
        return sent - millis.size();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.3f p99 %.3f ms (%d/%d)", percentile(50), percentile(99), millis.size(), sent);
    }
}
