package io.culvert.engine.crypto;

import io.culvert.engine.common.Decoded;

/**
 * The cipher-specific half of a data channel: seals and opens the bytes after the 1- or 4-byte
 * opcode header. Not thread-safe.
 */
sealed interface PacketCrypto permits AeadCrypto, CbcCrypto {

    /** Builds the whole wire packet: {@code header} (1 or {@code 4} bytes), packet id, protected payload. */
    byte[] seal(int header, int headerLen, long packetId, byte[] plain, int off, int len);

    /** Authenticates and decrypts; on success {@link #openedPacketId()} holds the packet's id. */
    Decoded<byte[]> open(byte[] packet, int off, int len, int headerLen);

    /** Packet id of the last successful {@link #open}. */
    long openedPacketId();

    static void writeHeader(byte[] out, int header, int headerLen) {
        if (headerLen == 1) {
            out[0] = (byte) header;
        } else {
            Bytes.putInt(out, 0, header & 0xFFFFFFFFL);
        }
    }
}
