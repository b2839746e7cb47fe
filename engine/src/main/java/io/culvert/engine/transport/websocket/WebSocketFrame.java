package io.culvert.engine.transport.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One RFC 6455 frame (section 5.2), parsed strictly and written without I/O. The payload is held unmasked.
 * Instances are immutable apart from the payload array, which the parser hands over and nobody changes.
 *
 * @param fin whether this frame ends its message
 * @param opcode {@link #CONTINUATION}, {@link #TEXT}, {@link #BINARY}, {@link #CLOSE}, {@link #PING} or {@link #PONG}
 * @param payload the application data, unmasked
 */
public record WebSocketFrame(boolean fin, int opcode, byte[] payload) {
    // Specification constants (RFC 6455 section 5.2, 5.5).
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** Largest control frame payload. */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** Largest frame header: 2 bytes, an 8-byte length, a 4-byte mask key. */
    public static final int MAX_HEADER = 14;

    /** Who sent the frames being parsed: a client's frames are masked, a server's are not (section 5.1). */
    public enum Sender {
        CLIENT, SERVER
    }

    public WebSocketFrame {
        if (opcode < 0 || opcode > 0xF) {
            throw new IllegalArgumentException("opcode " + opcode);
        }
    }

    /** True for close, ping and pong. */
    public boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /**
     * Parses one frame at {@code in}'s position. Returns it and moves the position past it, or returns null and leaves
     * the position where it was when the frame is not complete yet. A header that breaks the rules (or declares more
     * than {@code maxPayload} bytes) is refused as soon as it is there, before any payload is awaited.
     *
     * @throws WebSocketException with the close code to send
     */
    public static WebSocketFrame parse(ByteBuffer in, Sender sender, int maxPayload) throws WebSocketException {
        int start = in.position();
        int avail = in.remaining();
        if (avail < 2) {
            return null;
        }
        int b0 = in.get(start) & 0xFF;
        int b1 = in.get(start + 1) & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "reserved bits set (no extension was agreed)");
        }
        if (!known(opcode)) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked != (sender == Sender.CLIENT)) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR,
                    sender == Sender.CLIENT ? "unmasked frame from a client" : "masked frame from a server");
        }
        int len7 = b1 & 0x7F;
        boolean control = (opcode & 0x8) != 0;
        if (control && (!fin || len7 > MAX_CONTROL_PAYLOAD)) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR,
                    !fin ? "fragmented control frame" : "control frame longer than 125 bytes");
        }
        int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int headerLen = 2 + lengthBytes + (masked ? 4 : 0);
        if (avail < 2 + lengthBytes) {
            return null;
        }
        long length;
        if (len7 == 126) {
            length = in.getShort(start + 2) & 0xFFFF;
            if (length < 126) {
                throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "length " + length + " not minimally encoded");
            }
        } else if (len7 == 127) {
            length = in.getLong(start + 2);
            if (length < 0) {
                throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "64-bit length with its top bit set");
            }
            if (length <= 0xFFFF) {
                throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "length " + length + " not minimally encoded");
            }
        } else {
            length = len7;
        }
        if (length > maxPayload) {
            throw new WebSocketException(WebSocketException.TOO_BIG,
                    "frame of " + length + " bytes, more than the " + maxPayload + " allowed");
        }
        if (avail < headerLen + length) {
            return null;
        }
        byte[] payload = new byte[(int) length];
        in.get(start + headerLen, payload);
        if (masked) {
            int k = start + 2 + lengthBytes;
            byte[] key = {in.get(k), in.get(k + 1), in.get(k + 2), in.get(k + 3)};
            mask(payload, 0, payload.length, key);
        }
        if (opcode == CLOSE) {
            checkClose(payload);
        }
        in.position(start + headerLen + (int) length);
        return new WebSocketFrame(fin, opcode, payload);
    }

    /** Bytes {@link #writeTo} writes, masked (a client's frame) or not. */
    public int encodedLength(boolean masked) {
        return headerLength(payload.length, masked) + payload.length;
    }

    /** Writes the frame, masked with {@code maskKey} (4 bytes, a client) or unmasked when it is null (a server). */
    public void writeTo(ByteBuffer out, byte[] maskKey) {
        writeHeader(out, fin, opcode, payload.length, maskKey);
        int at = out.position();
        out.put(payload);
        if (maskKey != null) {
            for (int i = 0; i < payload.length; i++) {
                out.put(at + i, (byte) (payload[i] ^ maskKey[i & 3]));
            }
        }
    }

    /** Header bytes for a payload of {@code length}. */
    public static int headerLength(int length, boolean masked) {
        return (length < 126 ? 2 : length <= 0xFFFF ? 4 : 10) + (masked ? 4 : 0);
    }

    /** Writes a frame header; the caller writes the payload after it (masked with the same key when one is given). */
    public static void writeHeader(ByteBuffer out, boolean fin, int opcode, int length, byte[] maskKey) {
        out.put((byte) ((fin ? 0x80 : 0) | opcode));
        int maskBit = maskKey != null ? 0x80 : 0;
        if (length < 126) {
            out.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            out.put((byte) (maskBit | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (maskBit | 127));
            out.putLong(length);
        }
        if (maskKey != null) {
            out.put(maskKey, 0, 4);
        }
    }

    /** XORs {@code buf[off, off + len)} with the mask key (section 5.3); masking and unmasking are the same. */
    public static void mask(byte[] buf, int off, int len, byte[] key) {
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= key[i & 3];
        }
    }

    /** A close frame's payload: the code and a short reason. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, MAX_CONTROL_PAYLOAD - 2);
        byte[] p = new byte[2 + n];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, n);
        return p;
    }

    /** The close code in a close frame's payload, or 1005 (none given). */
    public static int closeCode(byte[] payload) {
        return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    private static boolean known(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }

    private static void checkClose(byte[] p) throws WebSocketException {
        if (p.length == 0) {
            return;
        }
        if (p.length == 1) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "close frame with a one-byte payload");
        }
        int code = closeCode(p);
        boolean valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
        if (!valid) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "close code " + code + " is not allowed");
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(p, 2, p.length - 2));
        } catch (CharacterCodingException e) {
            throw new WebSocketException(WebSocketException.INVALID_DATA, "close reason is not UTF-8");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebSocketFrame f && f.fin == fin && f.opcode == opcode && java.util.Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(payload) * 31 + opcode * 2 + (fin ? 1 : 0);
    }

    @Override
    public String toString() {
        return "WebSocketFrame[fin=" + fin + ", opcode=" + opcode + ", " + payload.length + " bytes]";
    }
}
