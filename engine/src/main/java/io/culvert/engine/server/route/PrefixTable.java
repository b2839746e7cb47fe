package io.culvert.engine.server.route;

import java.util.Arrays;

/**
 * Longest-prefix match over one address family: one {@link AddressMap} per prefix length in use, probed from the
 * longest length down. Keys are two longs: IPv6 as (hi, lo), IPv4 in the low 32 bits of lo. Not thread-safe.
 */
final class PrefixTable<V> {
    private final long[] hiMasks;
    private final long[] loMasks;
    private final AddressMap<V>[] byLength;
    private int[] lengths = new int[0];

    @SuppressWarnings("unchecked")
    PrefixTable(int width) {
        hiMasks = new long[width + 1];
        loMasks = new long[width + 1];
        for (int len = 0; len <= width; len++) {
            if (width == 32) {
                loMasks[len] = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
            } else {
                hiMasks[len] = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
                loMasks[len] = len <= 64 ? 0 : -1L << (128 - len);
            }
        }
        byLength = new AddressMap[width + 1];
    }

    /** The value of the longest prefix containing the address, or null. */
    V get(long hi, long lo) {
        for (int len : lengths) {
            V v = byLength[len].get(hi & hiMasks[len], lo & loMasks[len]);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value stored for exactly this prefix, or null. */
    V getExact(long hi, long lo, int len) {
        AddressMap<V> map = byLength[len];
        return map == null ? null : map.get(hi & hiMasks[len], lo & loMasks[len]);
    }

    V put(long hi, long lo, int len, V value) {
        AddressMap<V> map = byLength[len];
        if (map == null) {
            map = byLength[len] = new AddressMap<>();
            lengths = Arrays.copyOf(lengths, lengths.length + 1);
            lengths[lengths.length - 1] = len;
            sortDescending();
        }
        return map.put(hi & hiMasks[len], lo & loMasks[len], value);
    }

    V remove(long hi, long lo, int len) {
        AddressMap<V> map = byLength[len];
        if (map == null) {
            return null;
        }
        V old = map.remove(hi & hiMasks[len], lo & loMasks[len]);
        if (map.size() == 0) {
            byLength[len] = null;
            lengths = Arrays.stream(lengths).filter(l -> l != len).toArray();
        }
        return old;
    }

    private void sortDescending() {
        lengths = Arrays.stream(lengths).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
    }
}
