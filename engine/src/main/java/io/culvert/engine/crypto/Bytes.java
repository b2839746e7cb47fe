package io.culvert.engine.crypto;

/** Big-endian helpers and constant-time comparison for byte arrays. Stateless. */
final class Bytes {
    private Bytes() {}

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static long getUnsignedInt(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
    }

    /** Compares without an early exit, so the time taken does not reveal where the first difference is. */
    static boolean constantTimeEquals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    static boolean isAllZero(byte[] b, int off, int len) {
        int acc = 0;
        for (int i = 0; i < len; i++) {
            acc |= b[off + i];
        }
        return acc == 0;
    }
}
