package io.culvert.engine.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system, all threads) a process and its live descendants use over a window. Two sources: the sum
 * of {@code /proc/PID/task/TID/schedstat} (nanosecond run time, but only of threads still alive at each reading) and
 * {@code /proc/PID/stat} utime + stime (whole process including exited threads, in clock ticks of 10 ms). The
 * nanosecond figure is used unless the tick figure is clearly larger, which means threads exited in the window.
 * Immutable.
 */
record ProcessCpu(ProcessHandle root, long startNanos, double startTickMillis) {
    private static final double MILLIS_PER_TICK = 1000.0 / clockTicks();

    /** Starts measuring {@code root} now. */
    static ProcessCpu start(ProcessHandle root) {
        return new ProcessCpu(root, schedNanos(root), tickMillis(root));
    }

    /** CPU milliseconds used since {@link #start}. */
    double millis() {
        double sched = (schedNanos(root) - startNanos) / 1e6;
        double ticks = tickMillis(root) - startTickMillis;
        return ticks > sched + 2 * MILLIS_PER_TICK ? ticks : sched;
    }

    private static Stream<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants());
    }

    private static long schedNanos(ProcessHandle root) {
        return tree(root).mapToLong(h -> {
            long sum = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(h.pid()), "task"))) {
                for (Path t : tasks) {
                    try {
                        sum += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                    } catch (IOException | RuntimeException exited) {
                        // the thread ended between listing and reading
                    }
                }
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
            return sum;
        }).sum();
    }

    private static double tickMillis(ProcessHandle root) {
        return tree(root).mapToLong(h -> ticks(h.pid())).sum() * MILLIS_PER_TICK;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // After the ")" that ends the command name: field 3 (state) is index 0, utime (14) index 11, stime (15) 12.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
