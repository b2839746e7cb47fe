package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC data packets: {@code [hdr][HMAC H][IV 16][CBC(pid 4 || payload || PKCS#7)]}, HMAC over
 * IV || ciphertext (the header is not covered). Not thread-safe, but the sealing and opening
 * halves share no state.
 */
final class CbcCrypto implements PacketCrypto {
    private static final int BLOCK = 16;

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
    private byte[] scratch = new byte[2048];
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
        this.encrypt = Jce.cipher(cipher.transformation());
        this.decrypt = Jce.cipher(cipher.transformation());
        this.random = random;
    }

    /** Test hook: use this IV for every packet instead of a random one. */
    void fixIv(byte[] iv) {
        this.fixedIv = iv.clone();
    }

    @Override
    public byte[] seal(int header, int headerLen, long packetId, byte[] plain, int off, int len) {
        int ivOff = headerLen + macLen;
        int ctOff = ivOff + BLOCK;
        int ctLen = ((4 + len) / BLOCK + 1) * BLOCK;
        byte[] out = new byte[ctOff + ctLen];
        PacketCrypto.writeHeader(out, header, headerLen);
        if (fixedIv != null) {
            System.arraycopy(fixedIv, 0, out, ivOff, BLOCK);
        } else {
            random.nextBytes(iv);
            System.arraycopy(iv, 0, out, ivOff, BLOCK);
        }
        Bytes.putInt(out, ctOff, packetId);
        System.arraycopy(plain, off, out, ctOff + 4, len);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, sendKey, new IvParameterSpec(out, ivOff, BLOCK));
            encrypt.doFinal(out, ctOff, 4 + len, out, ctOff);
            if (macLen > 0) {
                sendMac.update(out, ivOff, BLOCK + ctLen);
                sendMac.doFinal(out, headerLen);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC encryption failed", e);
        }
        return out;
    }

    @Override
    public Decoded<byte[]> open(byte[] packet, int off, int len, int headerLen) {
        int ivOff = off + headerLen + macLen;
        int ctOff = ivOff + BLOCK;
        int ctLen = off + len - ctOff;
        if (ctLen < BLOCK) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        if (ctLen % BLOCK != 0) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        try {
            if (macLen > 0) {
                receiveMac.update(packet, ivOff, BLOCK + ctLen);
                receiveMac.doFinal(computed, 0);
                if (!Bytes.constantTimeEquals(computed, 0, packet, off + headerLen, macLen)) {
                    return Decoded.drop(DropReason.DECRYPT_FAILED);
                }
            }
            if (scratch.length < ctLen) {
                scratch = new byte[ctLen];
            }
            decrypt.init(Cipher.DECRYPT_MODE, receiveKey, new IvParameterSpec(packet, ivOff, BLOCK));
            int n = decrypt.doFinal(packet, ctOff, ctLen, scratch, 0);
            if (n < 4) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            openedPacketId = Bytes.getUnsignedInt(scratch, 0);
            return Decoded.ok(Arrays.copyOfRange(scratch, 4, n));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return Decoded.drop(DropReason.DECRYPT_FAILED);
        }
    }

    @Override
    public long openedPacketId() {
        return openedPacketId;
    }
}
