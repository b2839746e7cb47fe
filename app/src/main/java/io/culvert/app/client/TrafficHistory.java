package io.culvert.app.client;

import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Turns the engine's cumulative counters into rates: one {@link Sample} (bytes per second in and out of the tunnel)
 * per counter update, the last {@code capacity} kept. Not thread-safe; used on the FX thread.
 */
final class TrafficHistory {
    /** Rates over the interval ending at {@code time}; {@code second} counts from the first sample. */
    record Sample(Instant time, long second, double inPerSecond, double outPerSecond) {}

    private final int capacity;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private TrafficStats last;
    private Instant lastTime;
    private Instant first;

    TrafficHistory(int capacity) {
        this.capacity = capacity;
    }

    /** Adds the counters read at {@code time}; returns the new sample, or null for the first reading. */
    Sample add(Instant time, TrafficStats stats) {
        Sample s = null;
        if (last != null && time.isAfter(lastTime)) {
            double seconds = (time.toEpochMilli() - lastTime.toEpochMilli()) / 1000.0;
            double in = Math.max(0, stats.tunBytesIn() - last.tunBytesIn()) / seconds;
            double out = Math.max(0, stats.tunBytesOut() - last.tunBytesOut()) / seconds;
            s = new Sample(time, (time.toEpochMilli() - first.toEpochMilli()) / 1000, in, out);
            samples.addLast(s);
            while (samples.size() > capacity) {
                samples.removeFirst();
            }
        }
        if (first == null) {
            first = time;
        }
        if (last == null || time.isAfter(lastTime)) {
            last = stats;
            lastTime = time;
        }
        return s;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The latest counters, or null before the first. */
    TrafficStats totals() {
        return last;
    }

    void clear() {
        samples.clear();
        last = null;
        lastTime = null;
        first = null;
    }
}
