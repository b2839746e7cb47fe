package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD data packets (GCM, ChaCha20-Poly1305): {@code [hdr][pid 4][tag 16][ciphertext]}, nonce =
 * pid || implicit IV (8), AAD = V2 header || pid, or pid alone for V1. Not thread-safe, but the
 * sealing and opening halves share no state.
 */
final class AeadCrypto implements PacketCrypto {
    static final int TAG_LEN = 16;
    private static final int IMPLICIT_IV_LEN = 8;

    private final boolean gcm;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final byte[] sendNonce = new byte[12];
    private final byte[] receiveNonce = new byte[12];
    private final Cipher encrypt;
    private final Cipher decrypt;
    private final byte[] tag = new byte[TAG_LEN];
    private long openedPacketId;

    AeadCrypto(DataCipher cipher, byte[] sendCipherSlot, byte[] sendHmacSlot, byte[] receiveCipherSlot, byte[] receiveHmacSlot) {
        this.gcm = cipher != DataCipher.CHACHA20_POLY1305;
        this.sendKey = new SecretKeySpec(sendCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        this.receiveKey = new SecretKeySpec(receiveCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        System.arraycopy(sendHmacSlot, 0, sendNonce, 4, IMPLICIT_IV_LEN);
        System.arraycopy(receiveHmacSlot, 0, receiveNonce, 4, IMPLICIT_IV_LEN);
        this.encrypt = Jce.cipher(cipher.transformation());
        this.decrypt = Jce.cipher(cipher.transformation());
    }

    @Override
    public byte[] seal(int header, int headerLen, long packetId, byte[] plain, int off, int len) {
        int pidOff = headerLen;
        int ctOff = pidOff + 4 + TAG_LEN;
        byte[] out = new byte[ctOff + len];
        PacketCrypto.writeHeader(out, header, headerLen);
        Bytes.putInt(out, pidOff, packetId);
        System.arraycopy(out, pidOff, sendNonce, 0, 4);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, sendKey, params(sendNonce));
            aad(encrypt, out, 0, headerLen);
            // JCE emits ciphertext || tag; OpenVPN 2.6 wants the tag in front.
            encrypt.doFinal(plain, off, len, out, pidOff + 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD encryption failed", e);
        }
        System.arraycopy(out, pidOff + 4 + len, tag, 0, TAG_LEN);
        System.arraycopy(out, pidOff + 4, out, ctOff, len);
        System.arraycopy(tag, 0, out, pidOff + 4, TAG_LEN);
        return out;
    }

    @Override
    public Decoded<byte[]> open(byte[] packet, int off, int len, int headerLen) {
        int pidOff = off + headerLen;
        int ctOff = pidOff + 4 + TAG_LEN;
        int ctLen = off + len - ctOff;
        if (ctLen < 1) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        System.arraycopy(packet, pidOff, receiveNonce, 0, 4);
        byte[] plain = new byte[ctLen];
        try {
            decrypt.init(Cipher.DECRYPT_MODE, receiveKey, params(receiveNonce));
            aad(decrypt, packet, off, headerLen);
            int n = decrypt.update(packet, ctOff, ctLen, plain, 0);
            n += decrypt.doFinal(packet, pidOff + 4, TAG_LEN, plain, n);
            if (n != ctLen) {
                return Decoded.drop(DropReason.DECRYPT_FAILED);
            }
        } catch (GeneralSecurityException | IllegalStateException e) {
            return Decoded.drop(DropReason.DECRYPT_FAILED);
        }
        openedPacketId = Bytes.getUnsignedInt(packet, pidOff);
        return Decoded.ok(plain);
    }

    @Override
    public long openedPacketId() {
        return openedPacketId;
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return gcm ? new GCMParameterSpec(TAG_LEN * 8, nonce) : new IvParameterSpec(nonce);
    }

    private static void aad(Cipher c, byte[] packet, int off, int headerLen) {
        if (headerLen == 1) {
            c.updateAAD(packet, off + 1, 4);
        } else {
            c.updateAAD(packet, off, headerLen + 4);
        }
    }
}
