package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * Data-channel crypto of one key state for one side: packet ids, encryption, authentication and
 * the replay window. The client sends with key2's keys[0] and receives with keys[1]; the server the
 * other way round. Not thread-safe; encryption and decryption share no mutable state (separate
 * JCE objects), so one thread may encrypt while another decrypts.
 */
public final class DataChannel {
    /** Opcode of P_DATA_V1 (1-byte header). */
    public static final int P_DATA_V1 = 6;
    /** Opcode of P_DATA_V2 (4-byte header with peer-id). */
    public static final int P_DATA_V2 = 9;
    /** Send id at which a renegotiation should be started (OpenVPN's PACKET_ID_WRAP_TRIGGER). */
    public static final long WRAP_TRIGGER = 0xFF000000L;

    private static final long MAX_PACKET_ID = 0xFFFFFFFFL;

    private final DataCipher cipher;
    private final PacketCrypto crypto;
    private final ReplayWindow replay;
    private long lastSent;

    private DataChannel(DataCipher cipher, PacketCrypto crypto, ReplayWindow replay) {
        this.cipher = cipher;
        this.crypto = crypto;
        this.replay = replay;
    }

    /** Creates a data channel with the default replay window (64 ids, 15 s). */
    public static DataChannel create(DataCipher cipher, String authDigest, byte[] key2, boolean isServer, InstantSource clock) {
        return create(cipher, authDigest, key2, isServer, ReplayWindow.defaults(clock));
    }

    /**
     * Creates a data channel. {@code authDigest} matters only for CBC ciphers; {@code key2} is the
     * 256-byte block from key expansion or EKM. Rejects an all-zero cipher key.
     */
    public static DataChannel create(DataCipher cipher, String authDigest, byte[] key2, boolean isServer, ReplayWindow replay) {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(replay, "replay");
        if (key2 == null || key2.length != Prf.KEY2_LENGTH) {
            throw new IllegalArgumentException("key2 must be " + Prf.KEY2_LENGTH + " bytes");
        }
        StaticKey keys = new StaticKey(key2);
        int send = isServer ? 1 : 0;
        int receive = 1 - send;
        byte[] sendCipher = keys.cipherSlot(send);
        byte[] receiveCipher = keys.cipherSlot(receive);
        if (Bytes.isAllZero(sendCipher, 0, cipher.keyLength()) || Bytes.isAllZero(receiveCipher, 0, cipher.keyLength())) {
            throw new IllegalArgumentException("all-zero data-channel cipher key");
        }
        PacketCrypto crypto;
        if (cipher.aead()) {
            crypto = new AeadCrypto(cipher, sendCipher, keys.hmacSlot(send), receiveCipher, keys.hmacSlot(receive));
        } else {
            AuthDigest digest = AuthDigest.byName(authDigest)
                    .orElseThrow(() -> new IllegalArgumentException("unknown auth digest '" + authDigest + "'"));
            crypto = new CbcCrypto(cipher, digest, sendCipher, keys.hmacSlot(send), receiveCipher, keys.hmacSlot(receive),
                    new SecureRandom());
        }
        Arrays.fill(sendCipher, (byte) 0);
        Arrays.fill(receiveCipher, (byte) 0);
        return new DataChannel(cipher, crypto, replay);
    }

    /**
     * Encrypts one payload into a whole wire packet. {@code peerId} -1 sends P_DATA_V1, otherwise
     * P_DATA_V2 with that 24-bit peer-id. Returns null when the packet id space is exhausted.
     */
    public byte[] encrypt(int keyId, int peerId, byte[] plain, int off, int len) {
        if (keyId < 0 || keyId > 7) {
            throw new IllegalArgumentException("key id must be 0..7, got " + keyId);
        }
        if (peerId < -1 || peerId > 0xFFFFFF) {
            throw new IllegalArgumentException("peer id must be -1 or 0..0xFFFFFF, got " + peerId);
        }
        Objects.checkFromIndexSize(off, len, plain.length);
        if (len == 0 && cipher.aead()) {
            throw new IllegalArgumentException("AEAD data packets need a payload");
        }
        if (lastSent == MAX_PACKET_ID) {
            return null;
        }
        lastSent++;
        if (peerId < 0) {
            return crypto.seal(P_DATA_V1 << 3 | keyId, 1, lastSent, plain, off, len);
        }
        return crypto.seal((P_DATA_V2 << 3 | keyId) << 24 | peerId, 4, lastSent, plain, off, len);
    }

    /**
     * Authenticates, decrypts and replay-checks one packet starting at its opcode byte (V1 or V2
     * header). Returns the plaintext, or the drop reason; never throws for hostile input.
     */
    public Decoded<byte[]> decrypt(byte[] packet, int off, int len) {
        Objects.checkFromIndexSize(off, len, packet.length);
        if (len < 1) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        int opcode = (packet[off] & 0xff) >>> 3;
        int headerLen;
        if (opcode == P_DATA_V1) {
            headerLen = 1;
        } else if (opcode == P_DATA_V2) {
            headerLen = 4;
        } else {
            return Decoded.drop(DropReason.BAD_OPCODE);
        }
        if (len < headerLen + 4) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        Decoded<byte[]> opened = crypto.open(packet, off, len, headerLen);
        if (opened.isOk() && !replay.accept(crypto.openedPacketId())) {
            return Decoded.drop(DropReason.REPLAY);
        }
        return opened;
    }

    /** The id of the last packet sent (0 before the first). */
    public long lastSentPacketId() {
        return lastSent;
    }

    /** True once the send id has reached {@link #WRAP_TRIGGER}; time to renegotiate. */
    public boolean nearPacketIdWrap() {
        return lastSent >= WRAP_TRIGGER;
    }

    public DataCipher cipher() {
        return cipher;
    }

    /** Test hook: fixes the CBC IV (ignored for AEAD ciphers). */
    void fixCbcIvForTesting(byte[] iv) {
        if (crypto instanceof CbcCrypto cbc) {
            cbc.fixIv(iv);
        }
    }

    /** Test hook: sets the id of the last sent packet. */
    void setLastSentPacketIdForTesting(long id) {
        this.lastSent = id;
    }
}
