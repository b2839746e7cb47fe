package io.culvert.engine.crypto;

import java.util.HexFormat;

/** Shared inputs of the fact sheet's self-made vectors (§15.1). */
final class Vectors {
    private Vectors() {}

    /** SK: 256 bytes, byte i = i. */
    static byte[] sk() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** P: the 28-byte dummy IPv4 payload. */
    static final byte[] P = hex("4500001c0000400040010000c0a80001c0a800020800f7ff00000000");

    static byte[] range(int from, int toInclusive) {
        byte[] b = new byte[toInclusive - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
