package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.DataChannel;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * Fuzz target (ADR 0015) for opening data-channel packets with a fixed key, for every {@link DataCipher} (CBC
 * with SHA1, SHA256 or SHA512) in the classic format and for the AEAD ciphers in 2.7's epoch format (cipher bits 7;
 * the digest bits then pick the cipher). The first byte picks the cipher, digest, direction, V1 or V2 and the mode:
 * <ul>
 * <li>hostile mode: each {@link Records record} goes to one receiving channel. Oracles: no exception; a drop
 * has a reason; an accepted packet is not accepted a second time (replay).
 * <li>forgery mode: the rest of the input is a payload (after a 3-byte peer-id, 2-byte position and 1-byte
 * mask) that the peer encrypts; it must decrypt to the same bytes, be refused as a replay the second time, and
 * be refused with one authenticated byte changed.
 * </ul>
 */
public final class DataChannelFuzz {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-21T12:00:00Z"));
    private static final String[] DIGESTS = {"SHA1", "SHA256", "SHA512", "SHA1"};
    private static final DataCipher[] EPOCH_CIPHERS = {
        DataCipher.AES_128_GCM, DataCipher.AES_256_GCM, DataCipher.CHACHA20_POLY1305, DataCipher.AES_192_GCM};

    private DataChannelFuzz() {}

    private static byte[] key2() {
        byte[] k = new byte[256];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 7 + 3);
        }
        return k;
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int sel = data[0] & 0xFF;
        boolean epoch = (sel & 0x07) == 7;
        DataCipher cipher = epoch ? EPOCH_CIPHERS[(sel >> 4) & 3] : DataCipher.values()[sel & 0x07];
        boolean v2 = (sel & 0x08) != 0;
        String digest = DIGESTS[(sel >> 4) & 3];
        boolean receiverIsServer = (sel & 0x40) != 0;
        DataChannel receiver = channel(epoch, cipher, digest, receiverIsServer);
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        if ((sel & 0x80) == 0) {
            for (byte[] p : Records.split(rest)) {
                Decoded<byte[]> d = receiver.decrypt(p, 0, p.length);
                if (d.isOk()) {
                    check(d.value().length < p.length, "plaintext longer than the packet");
                    check(receiver.decrypt(p, 0, p.length).reason() == DropReason.REPLAY, "accepted twice");
                } else {
                    check(d.reason() != null, "drop without a reason");
                }
            }
            return;
        }
        if (rest.length < 7) {
            return;
        }
        DataChannel sender = channel(epoch, cipher, digest, !receiverIsServer);
        int peerId = v2 ? (rest[0] & 0xFF) << 16 | (rest[1] & 0xFF) << 8 | rest[2] & 0xFF : -1;
        byte[] plain = Arrays.copyOfRange(rest, 6, rest.length);
        int keyId = sel >> 4 & 7;
        byte[] wire = sender.encrypt(keyId, peerId, plain, 0, plain.length);
        byte[] copy = wire.clone();
        Decoded<byte[]> back = receiver.decrypt(wire, 0, wire.length);
        check(back.isOk(), "own packet refused: " + (back.isOk() ? "" : back.reason()));
        check(Arrays.equals(plain, back.value()), "own packet decrypts to other bytes");
        check(Arrays.equals(copy, wire), "decrypt changed its input");
        check(receiver.decrypt(wire, 0, wire.length).reason() == DropReason.REPLAY, "own packet accepted twice");
        // What is authenticated: AEAD V2 covers the opcode and peer-id (associated data); V1 and CBC start after them.
        int header = v2 ? 4 : 1;
        int first = cipher.aead() && v2 ? 0 : header;
        if (wire.length <= first) {
            return;
        }
        int pos = first + ((rest[3] & 0xFF) << 8 | rest[4] & 0xFF) % (wire.length - first);
        wire[pos] ^= rest[5] == 0 ? 1 : rest[5];
        DataChannel fresh = channel(epoch, cipher, digest, receiverIsServer);
        Decoded<byte[]> forged = fresh.decrypt(wire, 0, wire.length);
        check(!forged.isOk(), cipher + (epoch ? " epoch" : "") + (v2 ? " V2" : " V1") + ": a packet changed at byte " + pos
                + " of " + wire.length + " was accepted");
    }

    private static DataChannel channel(boolean epoch, DataCipher cipher, String digest, boolean server) {
        return epoch ? DataChannel.createEpoch(cipher, key2(), server, CLOCK)
                : DataChannel.create(cipher, digest, key2(), server, CLOCK);
    }
}
