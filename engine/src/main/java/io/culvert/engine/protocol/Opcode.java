package io.culvert.engine.protocol;

/**
 * The five-bit packet opcode in the first byte of every OpenVPN packet ({@code opcode << 3 | key_id}).
 * Instances of this enum are immutable.
 */
public enum Opcode {
    /** Key-method 1 client reset; obsolete and dropped by 2.6. */
    CONTROL_HARD_RESET_CLIENT_V1(1),
    /** Key-method 1 server reset; obsolete and dropped by 2.6. */
    CONTROL_HARD_RESET_SERVER_V1(2),
    /** Starts a renegotiation for a new key id. */
    CONTROL_SOFT_RESET_V1(3),
    /** Carries a fragment of the TLS ciphertext stream. */
    CONTROL_V1(4),
    /** ACK record only: no message id, no payload. */
    ACK_V1(5),
    /** Data packet with a one-byte header. */
    DATA_V1(6),
    /** First packet of a session, sent by the client. */
    CONTROL_HARD_RESET_CLIENT_V2(7),
    /** The server's answer to a client hard reset. */
    CONTROL_HARD_RESET_SERVER_V2(8),
    /** Data packet with a four-byte header holding a 24-bit peer id. */
    DATA_V2(9),
    /** tls-crypt-v2 client reset with the wrapped client key appended. */
    CONTROL_HARD_RESET_CLIENT_V3(10),
    /** tls-crypt-v2 P_CONTROL_V1 with the wrapped client key appended. */
    CONTROL_WKC_V1(11);

    private static final Opcode[] BY_CODE = new Opcode[32];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode with this number, or {@code null} if the number is unknown. */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public boolean isData() {
        return this == DATA_V1 || this == DATA_V2;
    }

    public boolean isControl() {
        return !isData();
    }

    /** Whether this opcode starts a key state (hard or soft reset); such packets carry message id 0. */
    public boolean isReset() {
        return switch (this) {
            case CONTROL_HARD_RESET_CLIENT_V1, CONTROL_HARD_RESET_SERVER_V1, CONTROL_SOFT_RESET_V1,
                 CONTROL_HARD_RESET_CLIENT_V2, CONTROL_HARD_RESET_SERVER_V2, CONTROL_HARD_RESET_CLIENT_V3 -> true;
            default -> false;
        };
    }

    /** The opcode number (0..31) in a packet's first byte. */
    public static int opcodeOf(byte first) {
        return (first & 0xFF) >>> 3;
    }

    /** The key id (0..7) in a packet's first byte. */
    public static int keyIdOf(byte first) {
        return first & 0x07;
    }

    /** Builds a packet's first byte; {@code keyId} must be 0..7. */
    public static byte firstByte(Opcode opcode, int keyId) {
        if (keyId < 0 || keyId > 7) {
            throw new IllegalArgumentException("key id out of range: " + keyId);
        }
        return (byte) (opcode.code << 3 | keyId);
    }
}
