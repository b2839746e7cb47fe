package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Objects;

/**
 * Data-channel crypto of one key state for one side: packet ids, encryption, authentication and the replay window, in
 * the classic format (2.6: 32-bit packet ids, the AEAD tag in front) or in 2.7's epoch format ({@link EpochCrypto}:
 * 64-bit ids, the tag at the end, keys that move on by epochs). The client sends with key2's keys[0] and receives with
 * keys[1]; the server the other way round. The channel splits into a {@link Sealer} (packet ids, encryption) and an
 * {@link Opener} (decryption, replay window) that share no mutable state (in the epoch format, only a volatile floor
 * the opener raises for the sealer), so one thread may seal while another opens: the data path gives each half to the
 * thread that owns that direction. Each half is confined to one thread (see there).
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
    /** The classic format's crypto and replay window; both null in the epoch format. */
    private final PacketCrypto crypto;
    private final ReplayWindow replay;
    /** The epoch format's crypto (with its own replay windows); null in the classic format. */
    private final EpochCrypto epoch;
    private final Sealer sealer = new Sealer();
    private final Opener opener = new Opener();

    private DataChannel(DataCipher cipher, PacketCrypto crypto, ReplayWindow replay, EpochCrypto epoch) {
        this.cipher = cipher;
        this.crypto = crypto;
        this.replay = replay;
        this.epoch = epoch;
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
        return create(cipher, authDigest, key2, isServer, replay, cipher.usageLimit());
    }

    /** As above, with the AEAD usage limit given (tests lower it). */
    static DataChannel create(DataCipher cipher, String authDigest, byte[] key2, boolean isServer, ReplayWindow replay,
            long usageLimit) {
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
            crypto = new AeadCrypto(cipher, sendCipher, keys.hmacSlot(send), receiveCipher, keys.hmacSlot(receive),
                    usageLimit);
        } else {
            AuthDigest digest = AuthDigest.byName(authDigest)
                    .orElseThrow(() -> new IllegalArgumentException("unknown auth digest '" + authDigest + "'"));
            crypto = new CbcCrypto(cipher, digest, sendCipher, keys.hmacSlot(send), receiveCipher, keys.hmacSlot(receive),
                    new SecureRandom());
        }
        Arrays.fill(sendCipher, (byte) 0);
        Arrays.fill(receiveCipher, (byte) 0);
        return new DataChannel(cipher, crypto, replay, null);
    }

    /**
     * Creates a data channel in OpenVPN 2.7's epoch format, with the default replay window. {@code cipher} must be
     * an AEAD cipher; each direction's first epoch key is the first 32 bytes of its cipher key slot in {@code key2}.
     */
    public static DataChannel createEpoch(DataCipher cipher, byte[] key2, boolean isServer, InstantSource clock) {
        return createEpoch(cipher, key2, isServer, ReplayWindow.defaults(clock), cipher.usageLimit());
    }

    /** As {@link #createEpoch(DataCipher, byte[], boolean, InstantSource)}, with the window and usage limit given. */
    static DataChannel createEpoch(DataCipher cipher, byte[] key2, boolean isServer, ReplayWindow replay, long usageLimit) {
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(replay, "replay");
        if (key2 == null || key2.length != Prf.KEY2_LENGTH) {
            throw new IllegalArgumentException("key2 must be " + Prf.KEY2_LENGTH + " bytes");
        }
        StaticKey keys = new StaticKey(key2);
        int send = isServer ? 1 : 0;
        byte[] sendE1 = Arrays.copyOf(keys.cipherSlot(send), EpochKeys.EPOCH_KEY_LEN);
        byte[] receiveE1 = Arrays.copyOf(keys.cipherSlot(1 - send), EpochKeys.EPOCH_KEY_LEN);
        try {
            if (Bytes.isAllZero(sendE1, 0, sendE1.length) || Bytes.isAllZero(receiveE1, 0, receiveE1.length)) {
                throw new IllegalArgumentException("all-zero data-channel epoch key");
            }
            return new DataChannel(cipher, null, null, new EpochCrypto(cipher, sendE1, receiveE1, replay, usageLimit));
        } finally {
            Arrays.fill(sendE1, (byte) 0);
            Arrays.fill(receiveE1, (byte) 0);
        }
    }

    /**
     * Encrypts one payload into a whole wire packet. {@code peerId} -1 sends P_DATA_V1, otherwise
     * P_DATA_V2 with that 24-bit peer-id. Returns null when the packet id space is exhausted. Allocates the
     * packet; the data path seals in place with {@link #sealer()} instead.
     */
    public byte[] encrypt(int keyId, int peerId, byte[] plain, int off, int len) {
        Objects.checkFromIndexSize(off, len, plain.length);
        int headroom = headroom(peerId >= 0);
        byte[] buf = new byte[headroom + len + tailroom()];
        System.arraycopy(plain, off, buf, headroom, len);
        int n = sealer.seal(keyId, peerId, buf, headroom, len);
        return n < 0 ? null : Arrays.copyOf(buf, n);
    }

    /**
     * Authenticates, decrypts and replay-checks one packet starting at its opcode byte (V1 or V2
     * header). Returns the plaintext, or the drop reason; never throws for hostile input. Leaves
     * {@code packet} as it is and allocates; the data path opens in place with {@link #opener()} instead.
     */
    public Decoded<byte[]> decrypt(byte[] packet, int off, int len) {
        Objects.checkFromIndexSize(off, len, packet.length);
        byte[] copy = new byte[len + tailroom()];
        System.arraycopy(packet, off, copy, 0, len);
        Span payload = new Span();
        DropReason drop = opener.open(copy, 0, len, payload);
        return drop == null ? Decoded.ok(payload.toArray()) : Decoded.drop(drop);
    }

    /** The sealing half: the one thread that sends on this key (and, rarely, the session thread) uses it. */
    public Sealer sealer() {
        return sealer;
    }

    /** The opening half: only the one thread that receives on this key uses it. */
    public Opener opener() {
        return opener;
    }

    /** Bytes a sealed packet has in front of its payload: opcode header, packet id, tag or HMAC and IV. */
    public int headroom(boolean v2) {
        return (v2 ? 4 : 1) + (epoch != null ? EpochCrypto.prefix() : crypto.prefix());
    }

    /** Bytes after the payload that sealing and opening may write to. */
    public int tailroom() {
        return epoch != null ? EpochCrypto.suffix() : crypto.suffix();
    }

    /** Whether this channel speaks 2.7's epoch data format. */
    public boolean epochFormat() {
        return epoch != null;
    }

    /** The epoch packets are sealed on (epoch format; 0 in the classic format). Any thread. */
    public int sendEpoch() {
        return epoch != null ? epoch.sendEpoch() : 0;
    }

    /** The id of the last packet sent (0 before the first); in the epoch format, the packets sealed so far. */
    public long lastSentPacketId() {
        return sealer.lastSent;
    }

    /** True once the send id has reached {@link #WRAP_TRIGGER} (classic format). Any thread. */
    public boolean nearPacketIdWrap() {
        return epoch == null && sealer.lastSent >= WRAP_TRIGGER;
    }

    /**
     * True when this key generation should be replaced by a new TLS handshake, as 2.7 decides it: in the classic
     * format at the packet-id wrap trigger or once either direction passed the AEAD usage limit; in the epoch format
     * (which moves on by epochs by itself) once the send epoch reaches 0xF000. Any thread.
     */
    public boolean needsNewKeys() {
        if (epoch != null) {
            return epoch.sendEpoch() >= EpochCrypto.RENEGOTIATE_EPOCH;
        }
        return nearPacketIdWrap() || crypto.usageLimitReached();
    }

    /**
     * The sending half of the channel: the packet-id counter and the encrypting cipher. Its methods are
     * synchronized so that the session thread's rare keepalive and exit messages can share it with the device
     * reader that seals every data packet (uncontended on that path); {@link #nearPacketIdWrap} reads the counter
     * from any thread.
     */
    public final class Sealer {
        private volatile long lastSent;

        private Sealer() {}

        /**
         * Seals {@code buf[off, off + len)} in place. The caller reserves {@link #headroom(boolean)} bytes in front
         * of the payload and {@link #tailroom()} after it. The wire packet starts at {@code off - headroom(peerId >= 0)};
         * returns its length, or -1 when the packet id space is exhausted. {@code peerId} -1 sends P_DATA_V1,
         * otherwise P_DATA_V2 with that 24-bit peer-id.
         */
        public synchronized int seal(int keyId, int peerId, byte[] buf, int off, int len) {
            if (keyId < 0 || keyId > 7) {
                throw new IllegalArgumentException("key id must be 0..7, got " + keyId);
            }
            if (peerId < -1 || peerId > 0xFFFFFF) {
                throw new IllegalArgumentException("peer id must be -1 or 0..0xFFFFFF, got " + peerId);
            }
            if (len == 0 && cipher.aead()) {
                throw new IllegalArgumentException("AEAD data packets need a payload");
            }
            Objects.checkFromIndexSize(off - headroom(peerId >= 0), headroom(peerId >= 0) + len + tailroom(), buf.length);
            if (epoch != null) {
                int n = peerId < 0 ? epoch.seal(P_DATA_V1 << 3 | keyId, 1, buf, off, len)
                        : epoch.seal((P_DATA_V2 << 3 | keyId) << 24 | peerId, 4, buf, off, len);
                if (n >= 0) {
                    lastSent = lastSent + 1;
                }
                return n;
            }
            long id = lastSent;
            if (id == MAX_PACKET_ID) {
                return -1;
            }
            lastSent = ++id;
            if (peerId < 0) {
                return crypto.seal(P_DATA_V1 << 3 | keyId, 1, id, buf, off, len);
            }
            return crypto.seal((P_DATA_V2 << 3 | keyId) << 24 | peerId, 4, id, buf, off, len);
        }
    }

    /**
     * The receiving half of the channel: the decrypting cipher and the replay window. Confined to one thread (the
     * link reader, or the session thread where that reads the link), except {@link #heard()}, which any thread
     * may read.
     */
    public final class Opener {
        private volatile boolean heard;

        private Opener() {}

        /**
         * Authenticates, decrypts and replay-checks the packet at {@code buf[off, off + len)} (V1 or V2 header) in
         * place, using up to {@link #tailroom()} bytes after it when {@code buf} has them. Returns null and points
         * {@code payload} at the plaintext, or returns why the packet was dropped; never throws for hostile input.
         */
        public DropReason open(byte[] buf, int off, int len, Span payload) {
            Objects.checkFromIndexSize(off, len, buf.length);
            if (len < 1) {
                return DropReason.TRUNCATED;
            }
            int opcode = (buf[off] & 0xff) >>> 3;
            int headerLen;
            if (opcode == P_DATA_V1) {
                headerLen = 1;
            } else if (opcode == P_DATA_V2) {
                headerLen = 4;
            } else {
                return DropReason.BAD_OPCODE;
            }
            if (len < headerLen + 4) {
                return DropReason.TRUNCATED;
            }
            if (epoch != null) {
                DropReason drop = epoch.open(buf, off, len, headerLen, payload);
                if (drop != null) {
                    return drop;
                }
            } else {
                DropReason drop = crypto.open(buf, off, len, headerLen, payload);
                if (drop != null) {
                    return drop;
                }
                if (!replay.accept(crypto.openedPacketId())) {
                    return DropReason.REPLAY;
                }
            }
            if (!heard) {
                heard = true;
            }
            return null;
        }

        /** Whether a packet has been opened with this key: the peer has it and sends on it. Any thread. */
        public boolean heard() {
            return heard;
        }
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

    /** Test hook: sets the id of the last sent packet (in the epoch format, the current epoch's counter). */
    void setLastSentPacketIdForTesting(long id) {
        sealer.lastSent = id;
        if (epoch != null) {
            epoch.setSendCounterForTesting(id);
        }
    }
}
