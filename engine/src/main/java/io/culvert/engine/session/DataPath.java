package io.culvert.engine.session;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.protocol.CompressionFraming;

/**
 * The data channel of a session, for either role: picks the key generation a packet names, decrypts and
 * unframes it; frames and encrypts on the way out.
 *
 * <pre>
 * in:  packet → key id → (primary | lame duck) DataChannel.decrypt → compression unframe → payload
 * out: payload → compression frame → send key DataChannel.encrypt (V2 with peer-id, else V1) → packet
 * </pre>
 */
public final class DataPath {
    private DataPath() {}

    /** The generation with keys that a data packet's key id names, or null. */
    public static KeyState keyFor(ControlChannel control, int keyId) {
        KeyState p = control.primary();
        if (p != null && p.keyId == keyId && p.keysReady()) {
            return p;
        }
        KeyState l = control.lameDuck();
        if (l != null && l.keyId == keyId && l.keysReady()) {
            return l;
        }
        return null;
    }

    /** Decrypts and unframes one data packet with {@code ks}. */
    public static Decoded<byte[]> open(KeyState ks, CompressionFraming framing, byte[] buf, int off, int len) {
        Decoded<byte[]> plain = ks.data.decrypt(buf, off, len);
        if (!plain.isOk()) {
            return plain;
        }
        byte[] framed = plain.value();
        return framing.unframe(framed, 0, framed.length);
    }

    /** Frames and encrypts one payload; null when the key's packet ids are exhausted. */
    public static byte[] seal(KeyState ks, CompressionFraming framing, int peerId, byte[] buf, int off, int len) {
        byte[] framed = framing.frame(buf, off, len);
        return ks.data.encrypt(ks.keyId, peerId, framed, 0, framed.length);
    }
}
