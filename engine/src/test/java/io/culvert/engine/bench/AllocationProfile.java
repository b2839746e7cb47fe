package io.culvert.engine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap allocation of one JVM in a time window, from the {@code jdk.ObjectAllocationSample} events of a JFR recording
 * ({@code settings=profile}), grouped by site: the allocated class and the innermost Culvert frame that allocated it
 * (the top frame when no Culvert frame is on the stack). Sample weights estimate the bytes allocated. Immutable.
 *
 * @param totalBytes estimated bytes allocated in the window
 * @param sites bytes per site, largest first
 */
record AllocationProfile(double totalBytes, List<Map.Entry<String, Double>> sites) {
    private static final Pattern START =
            Pattern.compile("startTime = (\\d\\d:\\d\\d:\\d\\d\\.\\d+) \\((\\d{4}-\\d\\d-\\d\\d)\\)");
    private static final Pattern CLASS = Pattern.compile("objectClass = (\\S+)");
    private static final Pattern WEIGHT = Pattern.compile("weight = ([0-9.]+) (bytes|kB|MB|GB)");
    private static final Pattern FRAME = Pattern.compile("^\\s{4}(\\S.*)$", Pattern.MULTILINE);

    /** Runs {@code jfr print} on {@code recording} and keeps the samples taken between {@code from} and {@code to}. */
    static AllocationProfile read(Path jfr, Path recording, LocalDateTime from, LocalDateTime to) {
        try {
            Process p = new ProcessBuilder(jfr.toString(), "print", "--events", "jdk.ObjectAllocationSample",
                    "--stack-depth", "24", recording.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jfr print " + recording + ": " + out.lines().limit(3).toList());
            }
            return parse(out, from, to);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code jfr print} text output. */
    static AllocationProfile parse(String jfrPrint, LocalDateTime from, LocalDateTime to) {
        Map<String, Double> bySite = new HashMap<>();
        double total = 0;
        for (String event : jfrPrint.split("jdk\\.ObjectAllocationSample \\{")) {
            Matcher s = START.matcher(event);
            Matcher c = CLASS.matcher(event);
            Matcher w = WEIGHT.matcher(event);
            if (!s.find() || !c.find() || !w.find()) {
                continue;
            }
            LocalDateTime at = LocalDateTime.of(LocalDate.parse(s.group(2)), LocalTime.parse(s.group(1)));
            if (at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            double bytes = Double.parseDouble(w.group(1)) * switch (w.group(2)) {
                case "kB" -> 1024.0;
                case "MB" -> 1024.0 * 1024;
                case "GB" -> 1024.0 * 1024 * 1024;
                default -> 1.0;
            };
            total += bytes;
            bySite.merge(c.group(1) + " @ " + site(event), bytes, Double::sum);
        }
        List<Map.Entry<String, Double>> sites = new ArrayList<>(bySite.entrySet());
        sites.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return new AllocationProfile(total, List.copyOf(sites));
    }

    private static String site(String event) {
        int stack = event.indexOf("stackTrace = [");
        if (stack < 0) {
            return "(no stack)";
        }
        Matcher f = FRAME.matcher(event.substring(stack));
        String top = null;
        while (f.find()) {
            String frame = f.group(1);
            if (frame.equals("...")) {
                break;
            }
            if (top == null) {
                top = frame;
            }
            if (frame.startsWith("io.culvert.")) {
                return frame;
            }
        }
        return top == null ? "(no stack)" : top;
    }

    /** The top {@code n} sites as lines of "bytes per MB moved  site", for {@code megabytes} moved in the window. */
    List<String> report(double megabytes, int n, Duration window) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "allocated %.1f MB in %.1f s = %.0f bytes per MB moved", totalBytes / 1e6,
                window.toMillis() / 1000.0, totalBytes / megabytes));
        sites.stream().limit(n).forEach(e -> lines.add(String.format(Locale.ROOT, "%12.0f B/MB  %s", e.getValue() / megabytes,
                e.getKey())));
        return lines;
    }
}
