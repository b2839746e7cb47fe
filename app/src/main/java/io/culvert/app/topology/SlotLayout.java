package io.culvert.app.topology;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each instance sits around the hub, so that the picture stays still while instances come and go. Every
 * instance gets a slot when it first appears and keeps it until it leaves; a slot's position never depends on how
 * many others there are. Slots fill rings of 8, 16, 32, … places around the hub, in bit-reversed order within a ring
 * (first opposite, then the quarters, then the eighths), so a handful of instances spread evenly. An instance that
 * comes back under the same common name gets its old slot if it is still free. Not thread-safe (FX thread).
 */
public final class SlotLayout {
    /** Places on the innermost ring; every further ring has twice as many. */
    static final int FIRST_RING = 8;
    /** Radius of the innermost ring, in world units (the hub is at 0,0). */
    static final double FIRST_RADIUS = 260;
    /** Distance between rings. */
    static final double RING_STEP = 130;

    private final Map<Integer, Integer> slotOfPeer = new HashMap<>();
    private final Map<String, Integer> lastSlotOfName = new HashMap<>();
    private final BitSet used = new BitSet();

    /** The slot of {@code peerId}, assigning one (its name's previous slot if free, else the lowest free) if it has none. */
    public int assign(int peerId, String commonName) {
        Integer slot = slotOfPeer.get(peerId);
        if (slot != null) {
            return slot;
        }
        Integer previous = commonName == null ? null : lastSlotOfName.get(commonName);
        int s = previous != null && !used.get(previous) ? previous : used.nextClearBit(0);
        used.set(s);
        slotOfPeer.put(peerId, s);
        if (commonName != null) {
            lastSlotOfName.put(commonName, s);
        }
        return s;
    }

    /** Frees the slot of {@code peerId}. */
    public void release(int peerId) {
        Integer slot = slotOfPeer.remove(peerId);
        if (slot != null) {
            used.clear(slot);
        }
    }

    /** The slot of {@code peerId}, or -1. */
    public int slotOf(int peerId) {
        return slotOfPeer.getOrDefault(peerId, -1);
    }

    /** The ring a slot lies on (0 innermost). */
    static int ring(int slot) {
        int start = 0;
        int capacity = FIRST_RING;
        int ring = 0;
        while (slot >= start + capacity) {
            start += capacity;
            capacity *= 2;
            ring++;
        }
        return ring;
    }

    /** The world position of a slot: {x, y}. */
    static double[] position(int slot) {
        int start = 0;
        int capacity = FIRST_RING;
        int ring = 0;
        while (slot >= start + capacity) {
            start += capacity;
            capacity *= 2;
            ring++;
        }
        int bits = Integer.numberOfTrailingZeros(capacity);
        double fraction = (Integer.reverse(slot - start) >>> (32 - bits)) / (double) capacity;
        // Outer rings are turned by half a place so no instance hides behind one on the ring inside.
        double angle = -Math.PI / 2 + 2 * Math.PI * fraction + (ring == 0 ? 0 : Math.PI / capacity);
        double radius = FIRST_RADIUS + ring * RING_STEP;
        return new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
    }
}
