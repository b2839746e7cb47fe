package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * tls-crypt v1: {@code [op][sid 8][replay id 4][time 4][tag 32][AES-256-CTR(rest)]} with
 * tag = HMAC-SHA256(Ka, first 17 bytes || rest) and CTR IV = tag[0..16). Not thread-safe; one
 * instance per session.
 */
final class TlsCryptWrap implements ControlWrap {
    private static final int PID_OFF = 9;
    private static final int TAG_OFF = 17;
    private static final int TAG_LEN = 32;
    private static final int CT_OFF = TAG_OFF + TAG_LEN;
    private static final int KEY_LEN = 32;
    /** Bytes tls-crypt adds: replay id, time, tag. */
    static final int OVERHEAD = CT_OFF - HEADER;

    private final SecretKeySpec sendKe;
    private final SecretKeySpec receiveKe;
    private final Mac sendKa;
    private final Mac receiveKa;
    private final Cipher encrypt = Jce.cipher("AES/CTR/NoPadding");
    private final Cipher decrypt = Jce.cipher("AES/CTR/NoPadding");
    private final byte[] computed = new byte[TAG_LEN];
    private final ReplayIds ids;
    private final ReplayWindow window;

    TlsCryptWrap(StaticKey key, KeyDirection dir, ReplayIds ids, ReplayWindow window) {
        this.sendKe = new SecretKeySpec(key.cipherSlot(dir.sendIndex()), 0, KEY_LEN, "AES");
        this.receiveKe = new SecretKeySpec(key.cipherSlot(dir.receiveIndex()), 0, KEY_LEN, "AES");
        this.sendKa = Jce.hmac("HmacSHA256", key.hmacSlot(dir.sendIndex()), 0, KEY_LEN);
        this.receiveKa = Jce.hmac("HmacSHA256", key.hmacSlot(dir.receiveIndex()), 0, KEY_LEN);
        this.ids = ids;
        this.window = window;
    }

    @Override
    public byte[] wrap(byte[] plain, int off, int len) {
        Objects.checkFromIndexSize(off, len, plain.length);
        if (len < HEADER) {
            throw new IllegalArgumentException("control packet shorter than " + HEADER + " bytes");
        }
        int restLen = len - HEADER;
        byte[] out = new byte[CT_OFF + restLen];
        System.arraycopy(plain, off, out, 0, HEADER);
        ids.writeNext(out, PID_OFF);
        try {
            sendKa.update(out, 0, TAG_OFF);
            sendKa.update(plain, off + HEADER, restLen);
            sendKa.doFinal(out, TAG_OFF);
            encrypt.init(Cipher.ENCRYPT_MODE, sendKe, new IvParameterSpec(out, TAG_OFF, 16));
            encrypt.doFinal(plain, off + HEADER, restLen, out, CT_OFF);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("tls-crypt wrap failed", e);
        }
        return out;
    }

    @Override
    public Decoded<byte[]> unwrap(byte[] wire, int off, int len) {
        return unwrap(wire, off, len, true);
    }

    @Override
    public Decoded<byte[]> unwrapWithoutReplayCheck(byte[] wire, int off, int len) {
        return unwrap(wire, off, len, false);
    }

    private Decoded<byte[]> unwrap(byte[] wire, int off, int len, boolean replayCheck) {
        Objects.checkFromIndexSize(off, len, wire.length);
        int restLen = len - CT_OFF;
        if (restLen < 0) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        byte[] plain = new byte[HEADER + restLen];
        System.arraycopy(wire, off, plain, 0, HEADER);
        try {
            decrypt.init(Cipher.DECRYPT_MODE, receiveKe, new IvParameterSpec(wire, off + TAG_OFF, 16));
            decrypt.doFinal(wire, off + CT_OFF, restLen, plain, HEADER);
            receiveKa.update(wire, off, TAG_OFF);
            receiveKa.update(plain, HEADER, restLen);
            receiveKa.doFinal(computed, 0);
        } catch (GeneralSecurityException e) {
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        if (!Bytes.constantTimeEquals(computed, 0, wire, off + TAG_OFF, TAG_LEN)) {
            return Decoded.drop(DropReason.CONTROL_AUTH_FAILED);
        }
        if (replayCheck && !window.accept(Bytes.getUnsignedInt(wire, off + PID_OFF), Bytes.getUnsignedInt(wire, off + PID_OFF + 4))) {
            return Decoded.drop(DropReason.REPLAY);
        }
        return Decoded.ok(plain);
    }

    @Override
    public int overhead() {
        return CT_OFF - HEADER;
    }
}
