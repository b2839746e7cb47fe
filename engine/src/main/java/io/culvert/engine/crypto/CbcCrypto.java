package io.culvert.engine.crypto;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC data packets: {@code [hdr][HMAC H][IV 16][CBC(pid 4 || payload || PKCS#7)]}, HMAC over
 * IV || ciphertext (the header is not covered). Both directions work in the caller's array: the packet id goes
 * in front of the payload and the padding after it, so sealing and opening move no payload bytes. Not
 * thread-safe, but the sealing and opening halves share no state.
 */
final class CbcCrypto implements PacketCrypto {
    private static final int BLOCK = 16;
    /**
     * JCE's CBC copies its input when input and output overlap within two blocks; output written 32 bytes ahead
     * of the input does not count as overlapping and CBC never overwrites a block it has still to read.
     */
    private static final int SHIFT = 2 * BLOCK;

    private final int macLen;
    private final Mac sendMac;
    private final Mac receiveMac;
    private final byte[] computed;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final Cipher encrypt;
    private final Cipher decrypt;
    private final SecureRandom random;
    private final byte[] iv = new byte[BLOCK];
    private byte[] fixedIv;
    private long openedPacketId;

    CbcCrypto(DataCipher cipher, AuthDigest digest, byte[] sendCipherSlot, byte[] sendHmacSlot,
            byte[] receiveCipherSlot, byte[] receiveHmacSlot, SecureRandom random) {
        this.macLen = digest.length();
        this.sendMac = macLen == 0 ? null : Jce.hmac(digest.jceName(), sendHmacSlot, 0, macLen);
        this.receiveMac = macLen == 0 ? null : Jce.hmac(digest.jceName(), receiveHmacSlot, 0, macLen);
        this.computed = new byte[macLen];
        this.sendKey = new SecretKeySpec(sendCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        this.receiveKey = new SecretKeySpec(receiveCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        // Padding is added and checked here: JCE's padded CBC decrypts into a temporary array first.
        this.encrypt = Jce.cipher(cipher.keyAlgorithm() + "/CBC/NoPadding");
        this.decrypt = Jce.cipher(cipher.keyAlgorithm() + "/CBC/NoPadding");
        this.random = random;
    }

    /** Test hook: use this IV for every packet instead of a random one. */
    void fixIv(byte[] iv) {
        this.fixedIv = iv.clone();
    }

    @Override
    public int prefix() {
        return macLen + BLOCK + SHIFT + 4;
    }

    @Override
    public int suffix() {
        return BLOCK;
    }

    @Override
    public int seal(int header, int headerLen, long packetId, byte[] buf, int payloadOff, int len) {
        int plainOff = payloadOff - 4;
        int ctOff = plainOff - SHIFT;
        int ivOff = ctOff - BLOCK;
        int macOff = ivOff - macLen;
        int start = macOff - headerLen;
        int ctLen = ((4 + len) / BLOCK + 1) * BLOCK;
        PacketCrypto.writeHeader(buf, start, header, headerLen);
        if (fixedIv != null) {
            System.arraycopy(fixedIv, 0, buf, ivOff, BLOCK);
        } else {
            random.nextBytes(iv);
            System.arraycopy(iv, 0, buf, ivOff, BLOCK);
        }
        Bytes.putInt(buf, plainOff, packetId);
        int pad = ctLen - 4 - len;
        Arrays.fill(buf, payloadOff + len, plainOff + ctLen, (byte) pad);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, sendKey, new IvParameterSpec(buf, ivOff, BLOCK));
            encrypt.doFinal(buf, plainOff, ctLen, buf, ctOff);
            if (macLen > 0) {
                sendMac.update(buf, ivOff, BLOCK + ctLen);
                sendMac.doFinal(buf, macOff);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC encryption failed", e);
        }
        return headerLen + macLen + BLOCK + ctLen;
    }

    @Override
    public DropReason open(byte[] buf, int off, int len, int headerLen, Span payload) {
        int ivOff = off + headerLen + macLen;
        int ctOff = ivOff + BLOCK;
        int ctLen = off + len - ctOff;
        if (ctLen < BLOCK) {
            return DropReason.TRUNCATED;
        }
        if (ctLen % BLOCK != 0) {
            return DropReason.MALFORMED;
        }
        try {
            if (macLen > 0) {
                receiveMac.update(buf, ivOff, BLOCK + ctLen);
                receiveMac.doFinal(computed, 0);
                if (!Bytes.constantTimeEquals(computed, 0, buf, off + headerLen, macLen)) {
                    return DropReason.DECRYPT_FAILED;
                }
            }
            decrypt.init(Cipher.DECRYPT_MODE, receiveKey, new IvParameterSpec(buf, ivOff, BLOCK));
            // The IV and HMAC are used up: the plaintext may land over them, ahead of the ciphertext.
            int plainOff = ctOff - SHIFT >= 0 ? ctOff - SHIFT : ctOff;
            decrypt.doFinal(buf, ctOff, ctLen, buf, plainOff);
            int pad = buf[plainOff + ctLen - 1] & 0xff;
            if (pad < 1 || pad > BLOCK || !padded(buf, plainOff + ctLen - pad, pad)) {
                return DropReason.DECRYPT_FAILED;
            }
            int n = ctLen - pad;
            if (n < 4) {
                return DropReason.MALFORMED;
            }
            openedPacketId = Bytes.getUnsignedInt(buf, plainOff);
            payload.set(buf, plainOff + 4, n - 4);
            return null;
        } catch (GeneralSecurityException | IllegalStateException e) {
            return DropReason.DECRYPT_FAILED;
        }
    }

    /** PKCS#7: the last {@code pad} bytes all hold {@code pad}. */
    private static boolean padded(byte[] buf, int off, int pad) {
        int diff = 0;
        for (int i = 0; i < pad; i++) {
            diff |= (buf[off + i] & 0xff) ^ pad;
        }
        return diff == 0;
    }

    @Override
    public long openedPacketId() {
        return openedPacketId;
    }

    @Override
    public boolean usageLimitReached() {
        return false;
    }
}
