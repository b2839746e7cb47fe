package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An "OpenVPN tls-crypt-v2 server key" (128 bytes: cipher slot 64, hmac slot 64) and the codec for the wrapped client
 * keys it makes: {@code WKc = T || AES-256-CTR(Ke, IV = T[0..16), Kc || metadata) || u16 len} with
 * {@code T = HMAC-SHA256(Ka, len || Kc || metadata)} and len the length of the whole WKc (at most
 * {@value #MAX_WKC_LENGTH}). Ke and Ka are the first 32 bytes of each slot. Immutable and thread-safe: every call
 * makes its own JCE objects.
 */
public record TlsCryptV2ServerKey(byte[] bytes) {
    /** Length of the server key in bytes ({@code struct key}). */
    public static final int LENGTH = 128;
    /** Longest WKc 2.6 accepts ({@code TLS_CRYPT_V2_MAX_WKC_LEN}). */
    public static final int MAX_WKC_LENGTH = 1024;
    /** Shortest possible WKc: tag, client key, length, no metadata. */
    public static final int MIN_WKC_LENGTH = TlsCryptV2ClientKey.WKC_OVERHEAD;
    /** Most metadata bytes a WKc can hold. */
    public static final int MAX_METADATA_LENGTH = MAX_WKC_LENGTH - MIN_WKC_LENGTH;

    static final String LABEL = "OpenVPN tls-crypt-v2 server key";
    private static final int TAG_LEN = 32;
    private static final int KEY_LEN = 32;

    public TlsCryptV2ServerKey {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("tls-crypt-v2 server key has " + bytes.length + " bytes, expected " + LENGTH);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Parses the PEM text {@code openvpn --genkey tls-crypt-v2-server} writes. */
    public static TlsCryptV2ServerKey parse(String pemText) {
        return new TlsCryptV2ServerKey(OpenvpnPem.decode(pemText, LABEL));
    }

    /** A new random key. */
    public static TlsCryptV2ServerKey generate(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new TlsCryptV2ServerKey(b);
    }

    public String toPem() {
        return OpenvpnPem.encode(bytes, LABEL);
    }

    /** Wraps client key {@code kc} with {@code metadata} (type byte first) into a WKc. */
    public byte[] wrap(StaticKey kc, byte[] metadata) {
        Objects.requireNonNull(kc, "kc");
        if (metadata.length > MAX_METADATA_LENGTH) {
            throw new IllegalArgumentException("metadata too long: " + metadata.length + " > " + MAX_METADATA_LENGTH);
        }
        byte[] plain = new byte[StaticKey.LENGTH + metadata.length];
        System.arraycopy(kc.bytes(), 0, plain, 0, StaticKey.LENGTH);
        System.arraycopy(metadata, 0, plain, StaticKey.LENGTH, metadata.length);
        int total = MIN_WKC_LENGTH + metadata.length;
        byte[] out = new byte[total];
        out[total - 2] = (byte) (total >>> 8);
        out[total - 1] = (byte) total;
        try {
            Mac mac = hmac();
            mac.update(out, total - 2, 2);
            mac.update(plain);
            mac.doFinal(out, 0);
            Cipher c = Jce.cipher("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, cipherKey(), new IvParameterSpec(out, 0, 16));
            c.doFinal(plain, 0, plain.length, out, TAG_LEN);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls-crypt-v2 wrap failed", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return out;
    }

    /**
     * Unwraps the WKc in {@code len} bytes at {@code off} (exactly the WKc). Never throws on hostile content: TRUNCATED
     * or OVERSIZED for impossible lengths, MALFORMED when the trailing length disagrees, CONTROL_AUTH_FAILED when the
     * tag does not match (a forgery, or a key made for another server key).
     */
    public Decoded<ClientKey> unwrap(byte[] wkc, int off, int len) {
        Objects.checkFromIndexSize(off, len, wkc.length);
        if (len < MIN_WKC_LENGTH) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        if (len > MAX_WKC_LENGTH) {
            return Decoded.drop(DropReason.OVERSIZED);
        }
        int declared = ((wkc[off + len - 2] & 0xff) << 8) | (wkc[off + len - 1] & 0xff);
        if (declared != len) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        int ctLen = len - TAG_LEN - 2;
        byte[] plain = new byte[ctLen];
        byte[] tag = new byte[TAG_LEN];
        try {
            Cipher c = Jce.cipher("AES/CTR/NoPadding");
            c.init(Cipher.DECRYPT_MODE, cipherKey(), new IvParameterSpec(wkc, off, 16));
            c.doFinal(wkc, off + TAG_LEN, ctLen, plain, 0);
            Mac mac = hmac();
            mac.update(wkc, off + len - 2, 2);
            mac.update(plain);
            mac.doFinal(tag, 0);
        } catch (GeneralSecurityException e) {
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        if (!Bytes.constantTimeEquals(tag, 0, wkc, off, TAG_LEN)) {
            Arrays.fill(plain, (byte) 0);
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        StaticKey kc = new StaticKey(Arrays.copyOf(plain, StaticKey.LENGTH));
        byte[] metadata = Arrays.copyOfRange(plain, StaticKey.LENGTH, plain.length);
        Arrays.fill(plain, (byte) 0);
        return Decoded.ok(new ClientKey(kc, metadata));
    }

    private SecretKeySpec cipherKey() {
        return new SecretKeySpec(bytes, 0, KEY_LEN, "AES");
    }

    private Mac hmac() {
        return Jce.hmac("HmacSHA256", bytes, StaticKey.SLOT, KEY_LEN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsCryptV2ServerKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TlsCryptV2ServerKey[128 bytes]";
    }

    /**
     * An unwrapped client key: Kc and its metadata (byte 0 the type: {@link #TYPE_USER} or {@link #TYPE_TIMESTAMP}).
     * Immutable.
     */
    public record ClientKey(StaticKey key, byte[] metadata) {
        /** Metadata type: opaque user data from {@code --genkey tls-crypt-v2-client FILE BASE64}. */
        public static final int TYPE_USER = 0x00;
        /** Metadata type: a u64 Unix time, what {@code --genkey} writes without metadata. */
        public static final int TYPE_TIMESTAMP = 0x01;

        public ClientKey {
            Objects.requireNonNull(key, "key");
            metadata = metadata.clone();
        }

        @Override
        public byte[] metadata() {
            return metadata.clone();
        }

        /** The creation time in Unix seconds, or -1 when the metadata is not a timestamp. */
        public long timestampSeconds() {
            if (metadata.length < 9 || metadata[0] != TYPE_TIMESTAMP) {
                return -1;
            }
            long t = 0;
            for (int i = 1; i < 9; i++) {
                t = (t << 8) | (metadata[i] & 0xff);
            }
            return t;
        }

        /** {@code tls-crypt-v2-max-age}: false without a timestamp or when older than {@code maxDays} at {@code nowSeconds}. */
        public boolean youngerThan(int maxDays, long nowSeconds) {
            long t = timestampSeconds();
            return t >= 0 && nowSeconds - t <= maxDays * 86_400L;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClientKey c && key.equals(c.key) && Arrays.equals(metadata, c.metadata);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(metadata);
        }

        @Override
        public String toString() {
            return "ClientKey[metadata type " + (metadata.length == 0 ? "none" : metadata[0] & 0xff) + "]";
        }
    }
}
