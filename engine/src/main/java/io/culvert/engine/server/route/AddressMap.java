package io.culvert.engine.server.route;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An open-addressing hash map from a 128-bit key (two longs: IPv6 address, or an IPv4 address / MAC in the low
 * word) to a non-null value; lookups allocate nothing. Linear probing with backward-shift deletion, load ≤ 1/2, and a
 * per-map random seed so keys an attacker picks cannot be aimed at one probe chain. Not thread-safe.
 */
final class AddressMap<V> {
    private final long seed = ThreadLocalRandom.current().nextLong() | 1;
    private long[] his;
    private long[] los;
    private Object[] values;
    private int mask;
    private int size;

    AddressMap() {
        allocate(16);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long hi, long lo) {
        for (int i = slot(hi, lo); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (his[i] == hi && los[i] == lo) {
                return (V) v;
            }
        }
    }

    /** Maps the key to {@code value} and returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long hi, long lo, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int i = slot(hi, lo);
        while (values[i] != null) {
            if (his[i] == hi && los[i] == lo) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        values[i] = value;
        if (++size * 2 > values.length) {
            rehash(values.length * 2);
        }
        return null;
    }

    /** Removes the key and returns its value, or null if it was absent. */
    @SuppressWarnings("unchecked")
    V remove(long hi, long lo) {
        int i = slot(hi, lo);
        while (values[i] != null) {
            if (his[i] == hi && los[i] == lo) {
                V old = (V) values[i];
                deleteAt(i);
                size--;
                return old;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    // Backward-shift deletion: move later members of the probe chain into the hole so no tombstones are needed.
    private void deleteAt(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(his[i], los[i]);
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                his[hole] = his[i];
                los[hole] = los[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
    }

    private int slot(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= seed;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    private void allocate(int capacity) {
        his = new long[capacity];
        los = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private void rehash(int capacity) {
        long[] oldHis = his;
        long[] oldLos = los;
        Object[] oldValues = values;
        allocate(capacity);
        for (int j = 0; j < oldValues.length; j++) {
            if (oldValues[j] != null) {
                int i = slot(oldHis[j], oldLos[j]);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                his[i] = oldHis[j];
                los[i] = oldLos[j];
                values[i] = oldValues[j];
            }
        }
    }
}
