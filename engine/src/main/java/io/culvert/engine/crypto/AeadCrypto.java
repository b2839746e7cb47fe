package io.culvert.engine.crypto;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD data packets (GCM, ChaCha20-Poly1305): {@code [hdr][pid 4][tag 16][ciphertext]}, nonce =
 * pid || implicit IV (8), AAD = V2 header || pid, or pid alone for V1. Both directions work in the caller's
 * array: sealing encrypts the payload where it lies and moves only the 16-byte tag JCE appends to the front;
 * opening moves the tag behind the ciphertext (JCE's order) and decrypts in place. A parameter spec per packet
 * is unavoidable: JCE specs are immutable and copy the nonce. Counts each key's usage (16-byte blocks plus packets)
 * against 2.7's AEAD usage limit. Not thread-safe, but the sealing and opening halves share no state except the
 * volatile over-use flag.
 */
final class AeadCrypto implements PacketCrypto {
    static final int TAG_LEN = 16;
    private static final int IMPLICIT_IV_LEN = 8;
    private static final int PREFIX = 4 + TAG_LEN;

    private final boolean gcm;
    private final SecretKeySpec sendKey;
    private final SecretKeySpec receiveKey;
    private final byte[] sendNonce = new byte[12];
    private final byte[] receiveNonce = new byte[12];
    private final Cipher encrypt;
    private final Cipher decrypt;
    private long openedPacketId;
    private final long usageLimit;
    private long sealedBlocks;
    private long openedBlocks;
    private volatile boolean overUsed;

    AeadCrypto(DataCipher cipher, byte[] sendCipherSlot, byte[] sendHmacSlot, byte[] receiveCipherSlot, byte[] receiveHmacSlot,
            long usageLimit) {
        this.usageLimit = usageLimit;
        this.gcm = cipher != DataCipher.CHACHA20_POLY1305;
        this.sendKey = new SecretKeySpec(sendCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        this.receiveKey = new SecretKeySpec(receiveCipherSlot, 0, cipher.keyLength(), cipher.keyAlgorithm());
        System.arraycopy(sendHmacSlot, 0, sendNonce, 4, IMPLICIT_IV_LEN);
        System.arraycopy(receiveHmacSlot, 0, receiveNonce, 4, IMPLICIT_IV_LEN);
        this.encrypt = Jce.cipher(cipher.transformation());
        this.decrypt = Jce.cipher(cipher.transformation());
    }

    @Override
    public int prefix() {
        return PREFIX;
    }

    @Override
    public int suffix() {
        return TAG_LEN;
    }

    @Override
    public int seal(int header, int headerLen, long packetId, byte[] buf, int payloadOff, int len) {
        int tagOff = payloadOff - TAG_LEN;
        int pidOff = tagOff - 4;
        int start = pidOff - headerLen;
        PacketCrypto.writeHeader(buf, start, header, headerLen);
        Bytes.putInt(buf, pidOff, packetId);
        Bytes.putInt(sendNonce, 0, packetId);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, sendKey, params(sendNonce));
            aad(encrypt, buf, start, headerLen);
            // JCE emits ciphertext || tag in place; OpenVPN 2.6 wants the tag in front: move only the tag.
            encrypt.doFinal(buf, payloadOff, len, buf, payloadOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD encryption failed", e);
        }
        System.arraycopy(buf, payloadOff + len, buf, tagOff, TAG_LEN);
        sealedBlocks += (headerLen + 4 + len + 15) / 16;
        if (usageLimit > 0 && sealedBlocks + packetId > usageLimit) {
            overUsed = true;
        }
        return headerLen + PREFIX + len;
    }

    @Override
    public DropReason open(byte[] buf, int off, int len, int headerLen, Span payload) {
        int pidOff = off + headerLen;
        int tagOff = pidOff + 4;
        int ctOff = tagOff + TAG_LEN;
        int ctLen = off + len - ctOff;
        if (ctLen < 1) {
            return DropReason.TRUNCATED;
        }
        System.arraycopy(buf, pidOff, receiveNonce, 0, 4);
        try {
            decrypt.init(Cipher.DECRYPT_MODE, receiveKey, params(receiveNonce));
            aad(decrypt, buf, off, headerLen);
            int n;
            if (buf.length - (off + len) >= TAG_LEN) {
                // ciphertext || tag, decrypted in place in one call: JCE buffers nothing and copies nothing.
                System.arraycopy(buf, tagOff, buf, ctOff + ctLen, TAG_LEN);
                n = decrypt.doFinal(buf, ctOff, ctLen + TAG_LEN, buf, ctOff);
            } else {
                n = decrypt.update(buf, ctOff, ctLen, buf, ctOff);
                n += decrypt.doFinal(buf, tagOff, TAG_LEN, buf, ctOff + n);
            }
            if (n != ctLen) {
                return DropReason.DECRYPT_FAILED;
            }
        } catch (GeneralSecurityException | IllegalStateException e) {
            return DropReason.DECRYPT_FAILED;
        }
        openedPacketId = Bytes.getUnsignedInt(buf, pidOff);
        openedBlocks += (ctLen + 15) / 16;
        if (usageLimit > 0 && openedBlocks + openedPacketId > usageLimit) {
            overUsed = true;
        }
        payload.set(buf, ctOff, ctLen);
        return null;
    }

    @Override
    public long openedPacketId() {
        return openedPacketId;
    }

    @Override
    public boolean usageLimitReached() {
        return overUsed;
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
