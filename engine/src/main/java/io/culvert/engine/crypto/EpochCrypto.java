package io.culvert.engine.crypto;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * OpenVPN 2.7's epoch data format for one key generation: {@code [hdr][epoch 2 | counter 6][ciphertext][tag 16]},
 * nonce = (packet id || 4 zero bytes) XOR the epoch's implicit IV, AAD = V2 header || packet id (packet id alone
 * for V1). Each direction runs through epochs 1, 2, … of keys from {@link EpochKeys}; the per-epoch counter starts
 * at 1 in each.
 *
 * <p>Switchover, as 2.7 does it: the sender moves to its next epoch before a packet when its key's usage (16-byte
 * blocks sealed plus packets) exceeds the AEAD usage limit, when the counter is exhausted, or when the receiver asks
 * it to. The receiver accepts its current epoch, the one before it (retiring) and the next {@value #FUTURE_KEYS};
 * an authenticated packet of a future epoch makes that epoch current and asks the sender to send on at least that
 * epoch; a current receive key past the usage limit (or with 2^35 failed tags) asks the sender for the next epoch,
 * which pushes the peer to follow. Each epoch has its own replay window over the 48-bit counters.
 *
 * <p>Thread-safety: the sending half ({@link #seal}) is used by one thread at a time (the data channel's sealer
 * monitor), the receiving half ({@link #open}) by one thread; they share only the volatile send floor (receiver to
 * sender) and the volatile send epoch (read by anyone).
 */
final class EpochCrypto {
    static final int TAG_LEN = 16;
    static final int PID_LEN = 8;
    /** Largest per-epoch packet counter (48 bits). */
    static final long MAX_COUNTER = 0xFFFF_FFFF_FFFFL;
    static final int MAX_EPOCH = 0xFFFF;
    /** Epochs past the current receive epoch that are accepted (2.7's software data channel uses 16). */
    static final int FUTURE_KEYS = 16;
    /** Send epoch from which a new TLS key generation is due (2.7: 0xF000). */
    static final int RENEGOTIATE_EPOCH = 0xF000;

    private static final int BLOCK = 16;
    private static final long FAIL_WARN = 1L << 35;
    private static final long FAIL_MAX = 1L << 36;

    /** One epoch's key in one direction. Fields other than the finals belong to the half that uses the key. */
    private static final class EpochKey {
        final int epoch;
        final SecretKeySpec key;
        final byte[] iv;
        final ReplayWindow replay;
        long blocks;
        long failures;

        EpochKey(int epoch, byte[] epochKey, DataCipher cipher, ReplayWindow replay) {
            this.epoch = epoch;
            byte[] k = EpochKeys.dataKey(epochKey, cipher.keyLength());
            this.key = new SecretKeySpec(k, cipher.keyAlgorithm());
            Arrays.fill(k, (byte) 0);
            this.iv = EpochKeys.dataIv(epochKey);
            this.replay = replay;
        }
    }

    private final DataCipher cipher;
    private final boolean gcm;
    private final long usageLimit;
    private final ReplayWindow windows;

    private final Cipher encrypt;
    private final byte[] sendNonce = new byte[EpochKeys.IV_LEN];
    private byte[] sendEpochKey;
    private int sendKeyEpoch = 1;
    private EpochKey send;
    private long sendCounter;
    private volatile int sendEpoch = 1;

    private final Cipher decrypt;
    private final byte[] receiveNonce = new byte[EpochKeys.IV_LEN];
    private byte[] receiveEpochKey;
    private int receiveKeyEpoch = 1;
    private EpochKey current;
    private EpochKey retiring;
    /** {@code future[i]} holds epoch {@code current.epoch + 1 + i}, or null above {@link #MAX_EPOCH}. */
    private EpochKey[] future = new EpochKey[FUTURE_KEYS];
    private volatile int sendFloor = 1;

    /**
     * @param sendE1 E_1 of the sending direction (32 bytes, copied)
     * @param receiveE1 E_1 of the receiving direction (32 bytes, copied)
     * @param replay the configured window, whose size and time each epoch's window takes
     * @param usageLimit blocks plus packets per key before switching epochs ({@link DataCipher#usageLimit()}); 0 for none
     */
    EpochCrypto(DataCipher cipher, byte[] sendE1, byte[] receiveE1, ReplayWindow replay, long usageLimit) {
        if (!cipher.aead()) {
            throw new IllegalArgumentException("the epoch data format needs an AEAD cipher, not " + cipher.openvpnName());
        }
        this.cipher = cipher;
        this.gcm = cipher != DataCipher.CHACHA20_POLY1305;
        this.usageLimit = usageLimit;
        this.windows = replay;
        this.encrypt = Jce.cipher(cipher.transformation());
        this.decrypt = Jce.cipher(cipher.transformation());
        this.sendEpochKey = sendE1.clone();
        this.send = new EpochKey(1, sendEpochKey, cipher, null);
        this.receiveEpochKey = receiveE1.clone();
        this.current = new EpochKey(1, receiveEpochKey, cipher, windows.forEpochCounters());
        fillFuture(new EpochKey[0], 0);
    }

    static int prefix() {
        return PID_LEN;
    }

    static int suffix() {
        return TAG_LEN;
    }

    /** The epoch packets are being sealed on. Any thread. */
    int sendEpoch() {
        return sendEpoch;
    }

    // ---- sending half -----------------------------------------------------------------------------------

    /**
     * Seals {@code buf[payloadOff, payloadOff + len)} in place: header and packet id in front, the tag behind. The
     * wire packet starts at {@code payloadOff - headerLen - PID_LEN}; returns its length, or -1 once the last
     * epoch's counter is exhausted.
     */
    int seal(int header, int headerLen, byte[] buf, int payloadOff, int len) {
        if (!roll()) {
            return -1;
        }
        long pid = (long) send.epoch << 48 | ++sendCounter;
        int pidOff = payloadOff - PID_LEN;
        int start = pidOff - headerLen;
        PacketCrypto.writeHeader(buf, start, header, headerLen);
        Bytes.putInt(buf, pidOff, pid >>> 32);
        Bytes.putInt(buf, pidOff + 4, pid);
        nonce(sendNonce, send.iv, buf, pidOff);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, send.key, params(sendNonce));
            aad(encrypt, buf, start, headerLen);
            encrypt.doFinal(buf, payloadOff, len, buf, payloadOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AEAD encryption failed", e);
        }
        send.blocks += (headerLen + PID_LEN + len + BLOCK - 1) / BLOCK;
        return headerLen + PID_LEN + len + TAG_LEN;
    }

    /** Moves the send key forward when due; false when no packet id is left. */
    private boolean roll() {
        int target = send.epoch;
        if (target < MAX_EPOCH) {
            if (overUsed(send.blocks, sendCounter) || sendCounter == MAX_COUNTER) {
                target++;
            }
            target = Math.min(MAX_EPOCH, Math.max(target, sendFloor));
        }
        if (target > send.epoch) {
            while (sendKeyEpoch < target) {
                byte[] next = EpochKeys.next(sendEpochKey);
                Arrays.fill(sendEpochKey, (byte) 0);
                sendEpochKey = next;
                sendKeyEpoch++;
            }
            send = new EpochKey(target, sendEpochKey, cipher, null);
            sendCounter = 0;
            sendEpoch = target;
        }
        return sendCounter < MAX_COUNTER;
    }

    // ---- receiving half ---------------------------------------------------------------------------------

    /**
     * Authenticates, decrypts and replay-checks the packet at {@code buf[off, off + len)} in place. Returns null and
     * points {@code payload} at the plaintext, or why the packet was dropped; never throws for hostile input.
     */
    DropReason open(byte[] buf, int off, int len, int headerLen, Span payload) {
        int pidOff = off + headerLen;
        int ctOff = pidOff + PID_LEN;
        int ctLen = off + len - ctOff - TAG_LEN;
        if (ctLen < 1) {
            return DropReason.TRUNCATED;
        }
        long pid = Bytes.getUnsignedInt(buf, pidOff) << 32 | Bytes.getUnsignedInt(buf, pidOff + 4);
        int epoch = (int) (pid >>> 48);
        EpochKey k = lookup(epoch);
        if (k == null) {
            return epoch == 0 ? DropReason.MALFORMED : DropReason.NO_KEY;
        }
        if (k.failures > FAIL_MAX) {
            return DropReason.DECRYPT_FAILED;
        }
        nonce(receiveNonce, k.iv, buf, pidOff);
        try {
            decrypt.init(Cipher.DECRYPT_MODE, k.key, params(receiveNonce));
            aad(decrypt, buf, off, headerLen);
            if (decrypt.doFinal(buf, ctOff, ctLen + TAG_LEN, buf, ctOff) != ctLen) {
                return DropReason.DECRYPT_FAILED;
            }
        } catch (GeneralSecurityException | IllegalStateException e) {
            k.failures++;
            return DropReason.DECRYPT_FAILED;
        }
        if (k != current && k != retiring) {
            promote(k);
        }
        if (!k.replay.accept(pid & MAX_COUNTER)) {
            return DropReason.REPLAY;
        }
        current.blocks += (ctLen + BLOCK - 1) / BLOCK;
        if (overUsed(current.blocks, current.replay.highest()) || current.failures > FAIL_WARN) {
            askSender(current.epoch + 1);
        }
        payload.set(buf, ctOff, ctLen);
        return null;
    }

    private EpochKey lookup(int epoch) {
        if (epoch == current.epoch) {
            return current;
        }
        if (retiring != null && epoch == retiring.epoch) {
            return retiring;
        }
        int i = epoch - current.epoch - 1;
        if (i >= 0 && i < FUTURE_KEYS && epoch <= MAX_EPOCH - FUTURE_KEYS - 1) {
            return future[i];
        }
        return null;
    }

    /** The peer sends on a newer epoch: it becomes current, the old current retires, the window moves up. */
    private void promote(EpochKey k) {
        retiring = current;
        current = k;
        EpochKey[] old = future;
        future = new EpochKey[FUTURE_KEYS];
        fillFuture(old, k.epoch - retiring.epoch);
        askSender(k.epoch);
    }

    /** Fills {@link #future} for the current epoch, reusing {@code old[skip..]} and deriving the rest. */
    private void fillFuture(EpochKey[] old, int skip) {
        int kept = Math.max(0, old.length - skip);
        System.arraycopy(old, skip, future, 0, kept);
        for (int i = kept; i < FUTURE_KEYS; i++) {
            int epoch = current.epoch + 1 + i;
            if (epoch > MAX_EPOCH) {
                break;
            }
            while (receiveKeyEpoch < epoch) {
                byte[] next = EpochKeys.next(receiveEpochKey);
                Arrays.fill(receiveEpochKey, (byte) 0);
                receiveEpochKey = next;
                receiveKeyEpoch++;
            }
            future[i] = new EpochKey(epoch, receiveEpochKey, cipher, windows.forEpochCounters());
        }
    }

    private void askSender(int epoch) {
        if (epoch > sendFloor) {
            sendFloor = Math.min(epoch, MAX_EPOCH);
        }
    }

    // ---- shared -----------------------------------------------------------------------------------------

    private boolean overUsed(long blocks, long packets) {
        return usageLimit > 0 && blocks + packets > usageLimit;
    }

    private static void nonce(byte[] nonce, byte[] iv, byte[] buf, int pidOff) {
        for (int i = 0; i < PID_LEN; i++) {
            nonce[i] = (byte) (buf[pidOff + i] ^ iv[i]);
        }
        System.arraycopy(iv, PID_LEN, nonce, PID_LEN, EpochKeys.IV_LEN - PID_LEN);
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return gcm ? new GCMParameterSpec(TAG_LEN * 8, nonce) : new IvParameterSpec(nonce);
    }

    private static void aad(Cipher c, byte[] packet, int off, int headerLen) {
        if (headerLen == 1) {
            c.updateAAD(packet, off + 1, PID_LEN);
        } else {
            c.updateAAD(packet, off, headerLen + PID_LEN);
        }
    }

    /** Test hook: sets the current epoch's send counter. */
    void setSendCounterForTesting(long counter) {
        sendCounter = counter;
    }
}
