package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.Arrays;
import java.util.Objects;

/**
 * A control-channel packet in the plain (TLS_WRAP_NONE) layout:
 * {@code [op<<3|keyid][sid 8][n][n x u32 acks][remote sid 8 if n>0][u32 msg id unless P_ACK_V1][payload]}.
 * tls-auth and tls-crypt wrap exactly these bytes. {@code messageId} is -1 for {@link Opcode#ACK_V1};
 * {@code remoteSessionId} is 0 when there are no acks (it is not on the wire then). Immutable: arrays
 * are copied in and out.
 */
public record ControlPacket(Opcode opcode, int keyId, long sessionId, long[] acks, long remoteSessionId,
                            long messageId, byte[] payload) {

    /** Most ids an ACK record may hold ({@code RELIABLE_ACK_SIZE}). */
    public static final int MAX_ACKS = 8;

    private static final int HEADER = 1 + 8 + 1;

    public ControlPacket {
        Objects.requireNonNull(opcode, "opcode");
        if (opcode.isData()) {
            throw new IllegalArgumentException("not a control opcode: " + opcode);
        }
        if (keyId < 0 || keyId > 7) {
            throw new IllegalArgumentException("key id out of range: " + keyId);
        }
        acks = acks == null ? new long[0] : acks.clone();
        payload = payload == null ? new byte[0] : payload.clone();
        if (acks.length > MAX_ACKS) {
            throw new IllegalArgumentException("too many acks: " + acks.length);
        }
        for (long a : acks) {
            requireU32(a, "ack id");
        }
        if (acks.length == 0) {
            remoteSessionId = 0;
        }
        if (opcode == Opcode.ACK_V1) {
            if (messageId != -1 || payload.length != 0) {
                throw new IllegalArgumentException("P_ACK_V1 has no message id and no payload");
            }
        } else {
            requireU32(messageId, "message id");
        }
    }

    /** A P_ACK_V1 packet. */
    public static ControlPacket ack(int keyId, long sessionId, long[] acks, long remoteSessionId) {
        return new ControlPacket(Opcode.ACK_V1, keyId, sessionId, acks, remoteSessionId, -1, null);
    }

    /**
     * Parses {@code len} bytes at {@code off}. Never throws on hostile content: returns TRUNCATED,
     * MALFORMED (ack count above 8, bytes after a P_ACK_V1) or BAD_OPCODE (data or unknown opcode).
     * Throws {@link IndexOutOfBoundsException} only if the range itself lies outside {@code b}.
     */
    public static Decoded<ControlPacket> parse(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < 1) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        Opcode op = Opcode.fromCode(Opcode.opcodeOf(b[off]));
        if (op == null || op.isData()) {
            return Decoded.drop(DropReason.BAD_OPCODE);
        }
        if (len < HEADER) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        int keyId = Opcode.keyIdOf(b[off]);
        long sid = Bytes.u64(b, off + 1);
        int n = Bytes.u8(b, off + 9);
        if (n > MAX_ACKS) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        int need = HEADER + 4 * n + (n > 0 ? 8 : 0) + (op == Opcode.ACK_V1 ? 0 : 4);
        if (len < need) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        if (op == Opcode.ACK_V1 && len != need) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        int p = off + HEADER;
        long[] acks = new long[n];
        for (int i = 0; i < n; i++, p += 4) {
            acks[i] = Bytes.u32(b, p);
        }
        long remote = 0;
        if (n > 0) {
            remote = Bytes.u64(b, p);
            p += 8;
        }
        long msgId = -1;
        if (op != Opcode.ACK_V1) {
            msgId = Bytes.u32(b, p);
            p += 4;
        }
        byte[] payload = Arrays.copyOfRange(b, p, off + len);
        return Decoded.ok(new ControlPacket(op, keyId, sid, acks, remote, msgId, payload));
    }

    public int encodedLength() {
        int n = acks.length;
        return HEADER + 4 * n + (n > 0 ? 8 : 0) + (opcode == Opcode.ACK_V1 ? 0 : 4) + payload.length;
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        out[0] = Opcode.firstByte(opcode, keyId);
        Bytes.putU64(out, 1, sessionId);
        out[9] = (byte) acks.length;
        int p = HEADER;
        for (long a : acks) {
            Bytes.putU32(out, p, a);
            p += 4;
        }
        if (acks.length > 0) {
            Bytes.putU64(out, p, remoteSessionId);
            p += 8;
        }
        if (opcode != Opcode.ACK_V1) {
            Bytes.putU32(out, p, messageId);
            p += 4;
        }
        System.arraycopy(payload, 0, out, p, payload.length);
        return out;
    }

    @Override
    public long[] acks() {
        return acks.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int ackCount() {
        return acks.length;
    }

    public int payloadLength() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlPacket c && opcode == c.opcode && keyId == c.keyId && sessionId == c.sessionId
                && Arrays.equals(acks, c.acks) && remoteSessionId == c.remoteSessionId
                && messageId == c.messageId && Arrays.equals(payload, c.payload);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(opcode, keyId, sessionId, remoteSessionId, messageId);
        return 31 * (31 * h + Arrays.hashCode(acks)) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return opcode + " kid=" + keyId + " sid=" + Bytes.hex64(sessionId) + " acks=" + Arrays.toString(acks)
                + (acks.length > 0 ? " remote=" + Bytes.hex64(remoteSessionId) : "")
                + (opcode == Opcode.ACK_V1 ? "" : " msg=" + messageId + " payload=" + payload.length);
    }

    private static void requireU32(long v, String what) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " out of u32 range: " + v);
        }
    }
}
