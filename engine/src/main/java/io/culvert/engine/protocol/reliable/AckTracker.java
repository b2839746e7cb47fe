package io.culvert.engine.protocol.reliable;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids this side owes the peer an ACK for, plus an MRU list of ids already ACKed that fill spare room
 * in outgoing ACK records (2.6 repeats ACKs this way so a lost ACK rarely costs a retransmission).
 * Not thread-safe.
 */
final class AckTracker {

    /** Remembered recently-ACKed ids ({@code RELIABLE_ACK_SIZE}). */
    static final int MRU_SIZE = 8;
    /** Pending ids held at most; a packet that cannot be ACKed is not accepted. */
    static final int PENDING_LIMIT = 16;

    private final List<Long> pending = new ArrayList<>();
    private final List<Long> mru = new ArrayList<>();

    /** Schedules an ACK for {@code id}; false if the pending list is full. */
    boolean add(long id) {
        if (pending.contains(id)) {
            return true;
        }
        if (pending.size() >= PENDING_LIMIT) {
            return false;
        }
        pending.add(id);
        return true;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /**
     * An ACK record of at most {@code max} ids: pending ids first (oldest first), then recently ACKed ids
     * (newest first). The pending ids taken move to the front of the MRU list.
     */
    long[] take(int max) {
        List<Long> out = new ArrayList<>(max);
        while (out.size() < max && !pending.isEmpty()) {
            out.add(pending.removeFirst());
        }
        for (Long id : out) {
            mru.remove(id);
            mru.addFirst(id);
        }
        while (mru.size() > MRU_SIZE) {
            mru.removeLast();
        }
        for (Long id : mru) {
            if (out.size() >= max) {
                break;
            }
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
