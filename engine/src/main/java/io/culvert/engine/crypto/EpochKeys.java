package io.culvert.engine.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * The key schedule of OpenVPN 2.7's epoch data format. An epoch key E_n (32 bytes) yields the next one and the data
 * key and implicit IV of epoch n, each by OVPN-Expand-Label: TLS 1.3's HKDF-Expand-Label with SHA-256 and the label
 * prefix {@code "ovpn "} instead of {@code "tls13 "}, an empty context:
 * <pre>
 * E_n+1       = Expand-Label(E_n, "datakey upd", 32)
 * data key    = Expand-Label(E_n, "data_key", cipher key length)
 * implicit IV = Expand-Label(E_n, "data_iv", 12)
 * </pre>
 * E_1 of each direction is the first 32 bytes of that direction's cipher key slot in the key2 block. Stateless.
 */
final class EpochKeys {
    /** Length of an epoch key and of SHA-256's output. */
    static final int EPOCH_KEY_LEN = 32;
    /** Length of the AEAD nonce and so of the implicit IV. */
    static final int IV_LEN = 12;

    private static final byte[] PREFIX = "ovpn ".getBytes(StandardCharsets.US_ASCII);

    private EpochKeys() {}

    /** E_n+1 from E_n. */
    static byte[] next(byte[] epochKey) {
        return expandLabel(epochKey, "datakey upd", EPOCH_KEY_LEN);
    }

    /** The data-channel cipher key of the epoch {@code epochKey} belongs to. */
    static byte[] dataKey(byte[] epochKey, int keyLength) {
        return expandLabel(epochKey, "data_key", keyLength);
    }

    /** The implicit IV that packet ids are XORed into. */
    static byte[] dataIv(byte[] epochKey) {
        return expandLabel(epochKey, "data_iv", IV_LEN);
    }

    /** OVPN-Expand-Label with an empty context. */
    static byte[] expandLabel(byte[] secret, String label, int length) {
        if (secret.length != EPOCH_KEY_LEN) {
            throw new IllegalArgumentException("epoch key must be 32 bytes");
        }
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        // HkdfLabel: uint16 length || opaque label<7..255> ("ovpn " + label) || opaque context<0..255> (empty)
        byte[] info = new byte[2 + 1 + PREFIX.length + l.length + 1];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) (PREFIX.length + l.length);
        System.arraycopy(PREFIX, 0, info, 3, PREFIX.length);
        System.arraycopy(l, 0, info, 3 + PREFIX.length, l.length);
        return hkdfExpand(secret, info, length);
    }

    /** RFC 5869 HKDF-Expand with HMAC-SHA256, {@code prk} used as is. */
    private static byte[] hkdfExpand(byte[] prk, byte[] info, int length) {
        Mac mac = Jce.hmac("HmacSHA256", prk, 0, prk.length);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        for (int block = 1, pos = 0; pos < length; block++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) block);
            t = mac.doFinal();
            int n = Math.min(t.length, length - pos);
            System.arraycopy(t, 0, out, pos, n);
            pos += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }
}
