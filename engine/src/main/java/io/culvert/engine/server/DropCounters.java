package io.culvert.engine.server;

import io.culvert.engine.common.DropReason;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's count of dropped packets per {@link DropReason}. Thread-safe: the server thread counts,
 * any thread may read {@link #snapshot()}.
 */
final class DropCounters {
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    DropCounters() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    void count(DropReason reason) {
        drops.get(reason).increment();
    }

    void count(DropReason reason, int n) {
        drops.get(reason).add(n);
    }

    long get(DropReason reason) {
        return drops.get(reason).sum();
    }

    /** Reason name → count, only reasons seen at least once. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        drops.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                out.put(k.name(), n);
            }
        });
        return out;
    }
}
