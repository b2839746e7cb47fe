package io.culvert.engine.protocol;

import java.util.Arrays;

/**
 * A growable output buffer for the decompressors that never grows past a fixed limit. Not thread-safe;
 * one instance per decompression call.
 */
final class DecompressSink {
    private final int max;
    private byte[] buf;
    private int size;

    DecompressSink(int inputLen, int max) {
        this.max = max;
        this.buf = new byte[(int) Math.min(max, Math.max(64L, inputLen * 4L))];
    }

    int size() {
        return size;
    }

    /** Copies {@code n} literal bytes; false when that would pass the limit. */
    boolean literals(byte[] in, int from, int n) {
        if (!reserve(n)) {
            return false;
        }
        System.arraycopy(in, from, buf, size, n);
        size += n;
        return true;
    }

    /** Copies {@code n} bytes starting {@code distance} bytes back (the ranges may overlap); false if invalid. */
    boolean match(int distance, int n) {
        if (distance <= 0 || distance > size || !reserve(n)) {
            return false;
        }
        int from = size - distance;
        if (distance >= n) {
            System.arraycopy(buf, from, buf, size, n);
            size += n;
        } else {
            for (int i = 0; i < n; i++) {
                buf[size++] = buf[from + i];
            }
        }
        return true;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    private boolean reserve(int n) {
        long need = (long) size + n;
        if (n < 0 || need > max) {
            return false;
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(need, buf.length * 2L)));
        }
        return true;
    }
}
