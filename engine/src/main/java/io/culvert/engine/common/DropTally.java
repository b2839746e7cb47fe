package io.culvert.engine.common;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dropped packets counted per {@link DropReason}: the one tally a client runner and a server keep. Thread-safe: the
 * data and session threads count, any thread may read.
 */
public final class DropTally {
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    public DropTally() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    public void count(DropReason reason) {
        drops.get(reason).increment();
    }

    public void count(DropReason reason, int n) {
        drops.get(reason).add(n);
    }

    public long get(DropReason reason) {
        return drops.get(reason).sum();
    }

    /** Reason name → count, only reasons seen at least once, in the order of {@link DropReason}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        drops.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                out.put(k.name(), n);
            }
        });
        return out;
    }
}
