package io.culvert.engine.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The magic data-channel payloads that never reach tun/tap: the keepalive ping and OCC messages
 * (checked after the compression framing is removed). Stateless.
 */
public final class DataMessages {

    private static final byte[] PING = {
        0x2a, 0x18, 0x7b, (byte) 0xf3, 0x64, 0x1e, (byte) 0xb4, (byte) 0xcb,
        0x07, (byte) 0xed, 0x2d, 0x0a, (byte) 0x98, 0x1f, (byte) 0xc7, 0x48};

    private static final byte[] OCC_MAGIC = {
        0x28, 0x7f, 0x34, 0x6b, (byte) 0xd4, (byte) 0xef, 0x7a, (byte) 0x81,
        0x2d, 0x56, (byte) 0xb8, (byte) 0xd3, (byte) 0xaf, (byte) 0xc5, 0x45, (byte) 0x9c};

    public static final int OCC_REQUEST = 0;
    public static final int OCC_REPLY = 1;
    public static final int OCC_MTU_LOAD_REQUEST = 2;
    public static final int OCC_MTU_LOAD = 3;
    public static final int OCC_MTU_REQUEST = 4;
    public static final int OCC_MTU_REPLY = 5;
    public static final int OCC_EXIT = 6;

    private DataMessages() {}

    /** The 16-byte keepalive ping payload. */
    public static byte[] ping() {
        return PING.clone();
    }

    /** The 16-byte OCC magic prefix. */
    public static byte[] occMagic() {
        return OCC_MAGIC.clone();
    }

    /** Exactly 16 bytes equal to the ping magic. */
    public static boolean isPing(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return len == PING.length && Arrays.equals(b, off, off + len, PING, 0, PING.length);
    }

    /** Starts with the 16-byte OCC magic (a prefix match, as 2.6 does). */
    public static boolean isOcc(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return len >= OCC_MAGIC.length && Arrays.equals(b, off, off + OCC_MAGIC.length, OCC_MAGIC, 0, OCC_MAGIC.length);
    }

    /** The OCC opcode byte after the magic, or -1 if this is not OCC or the opcode byte is missing. */
    public static int occOpcode(byte[] b, int off, int len) {
        return isOcc(b, off, len) && len > OCC_MAGIC.length ? b[off + OCC_MAGIC.length] & 0xFF : -1;
    }

    /** An OCC message with the given opcode and no body. */
    public static byte[] occ(int opcode) {
        byte[] out = Arrays.copyOf(OCC_MAGIC, OCC_MAGIC.length + 1);
        out[OCC_MAGIC.length] = (byte) opcode;
        return out;
    }

    /** OCC_EXIT: the magic followed by opcode 6. */
    public static byte[] occExit() {
        return occ(OCC_EXIT);
    }
}
