package io.culvert.engine.crypto;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * OpenVPN's packet-id replay window ({@code --replay-window n t}): ids may arrive out of order
 * within the last {@code n}, each id is accepted once, and an id older than one received more than
 * {@code t} seconds ago is expired. Long-form ids carry a timestamp; a newer timestamp starts a new
 * sequence and an older one is rejected. Ids are 32-bit, or 48-bit for the per-epoch counters of the epoch data
 * format ({@link #forEpochCounters()}). Not thread-safe.
 */
public final class ReplayWindow {
    /** Default window size ({@code --replay-window} n). */
    public static final int DEFAULT_SIZE = 64;
    /** Default time window in seconds ({@code --replay-window} t). */
    public static final int DEFAULT_SECONDS = 15;

    private static final long UNSEEN = Long.MIN_VALUE;
    private static final long EXPIRED = Long.MIN_VALUE + 1;
    private static final long MAX_ID = 0xFFFFFFFFL;
    private static final long MAX_EPOCH_COUNTER = 0xFFFF_FFFF_FFFFL;

    private final int size;
    private final int seconds;
    private final InstantSource clock;
    private final long maxId;
    /** Receive second per id, newest at {@code head}; UNSEEN or EXPIRED markers otherwise. */
    private final long[] slots;
    private int head;
    private int fill;
    private long highest;
    private long timestamp;
    private long lastReap = Long.MIN_VALUE;

    public ReplayWindow(int size, int seconds, InstantSource clock) {
        this(size, seconds, clock, MAX_ID);
    }

    private ReplayWindow(int size, int seconds, InstantSource clock, long maxId) {
        if (size < 0 || size > 65536) {
            throw new IllegalArgumentException("replay window size must be 0..65536, got " + size);
        }
        if (seconds < 0 || seconds > 600) {
            throw new IllegalArgumentException("replay window time must be 0..600 s, got " + seconds);
        }
        this.size = size;
        this.seconds = seconds;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.slots = new long[size];
        this.maxId = maxId;
    }

    /** An empty window of the same size and time for the 48-bit per-epoch packet counters of the epoch format. */
    ReplayWindow forEpochCounters() {
        return new ReplayWindow(size, seconds, clock, MAX_EPOCH_COUNTER);
    }

    /** A window with OpenVPN's defaults: 64 ids, 15 seconds. */
    public static ReplayWindow defaults(InstantSource clock) {
        return new ReplayWindow(DEFAULT_SIZE, DEFAULT_SECONDS, clock);
    }

    /** Checks a short-form (data-channel) packet id and, if acceptable, marks it as seen. */
    public boolean accept(long packetId) {
        return accept(packetId, 0);
    }

    /** Checks a long-form (control-channel) id with its u32 timestamp and, if acceptable, marks it. */
    public boolean accept(long packetId, long packetTimestamp) {
        if (packetId <= 0 || packetId > maxId) {
            return false;
        }
        long now = Math.floorDiv(clock.millis(), 1000);
        if (now != lastReap) {
            reap(now);
        }
        if (!test(packetId, packetTimestamp)) {
            return false;
        }
        add(packetId, packetTimestamp, now);
        return true;
    }

    private boolean test(long id, long ts) {
        if (ts == timestamp) {
            if (id > highest) {
                return true;
            }
            long d = highest - id;
            return d < fill && slot((int) d) == UNSEEN;
        }
        return ts > timestamp;
    }

    private void add(long id, long ts, long now) {
        if (fill == 0 || ts > timestamp || id - size > highest) {
            timestamp = ts;
            highest = Math.max(0, id - size);
            head = 0;
            fill = 0;
            Arrays.fill(slots, UNSEEN);
        }
        while (highest < id) {
            if (size > 0) {
                head = (head + 1) % size;
                slots[head] = UNSEEN;
                fill = Math.min(fill + 1, size);
            }
            highest++;
        }
        long d = highest - id;
        if (d < fill) {
            setSlot((int) d, now);
        }
    }

    /** Walks from the newest id back; everything from the first stale entry onwards expires. */
    private void reap(long now) {
        boolean expire = false;
        for (int i = 0; i < fill; i++) {
            long t = slot(i);
            if (t == EXPIRED) {
                break;
            }
            if (!expire && t != UNSEEN && t + seconds < now) {
                expire = true;
            }
            if (expire) {
                setSlot(i, EXPIRED);
            }
        }
        lastReap = now;
    }

    private long slot(int back) {
        return slots[Math.floorMod(head - back, size)];
    }

    private void setSlot(int back, long value) {
        slots[Math.floorMod(head - back, size)] = value;
    }

    /** Highest id accepted so far in the current sequence (0 before the first). */
    public long highest() {
        return highest;
    }
}
