package io.culvert.engine.common;

/**
 * Where a packet lies: an array, an offset and a length. The data path reuses one per thread to report where a
 * payload ended up after in-place work (decrypting, unframing) without allocating a result per packet. Mutable and
 * not thread-safe: each thread owns its own.
 */
public final class Span {
    private byte[] array;
    private int offset;
    private int length;

    /** Points this span at {@code array[offset, offset + length)} and returns it. */
    public Span set(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** A copy of the bytes this span covers (tests and the allocating compatibility paths). */
    public byte[] toArray() {
        return java.util.Arrays.copyOfRange(array, offset, offset + length);
    }
}
