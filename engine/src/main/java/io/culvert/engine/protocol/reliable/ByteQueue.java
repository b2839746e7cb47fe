package io.culvert.engine.protocol.reliable;

import java.util.ArrayDeque;

/** A FIFO of bytes taken in chunks of a chosen size. Not thread-safe. */
final class ByteQueue {

    private final ArrayDeque<byte[]> segments = new ArrayDeque<>();
    private int headOffset;
    private int size;

    void append(byte[] b) {
        if (b.length > 0) {
            segments.addLast(b.clone());
            size += b.length;
        }
    }

    int size() {
        return size;
    }

    /** Removes and returns up to {@code max} bytes. */
    byte[] take(int max) {
        byte[] out = new byte[Math.min(max, size)];
        int filled = 0;
        while (filled < out.length) {
            byte[] head = segments.peekFirst();
            int n = Math.min(head.length - headOffset, out.length - filled);
            System.arraycopy(head, headOffset, out, filled, n);
            filled += n;
            headOffset += n;
            if (headOffset == head.length) {
                segments.removeFirst();
                headOffset = 0;
            }
        }
        size -= out.length;
        return out;
    }
}
