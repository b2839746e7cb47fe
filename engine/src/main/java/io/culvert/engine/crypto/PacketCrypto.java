package io.culvert.engine.crypto;

import io.culvert.engine.common.DropReason;
import io.culvert.engine.common.Span;

/**
 * The cipher-specific half of a data channel: seals and opens the bytes after the 1- or 4-byte opcode header, in
 * place in the caller's array. Implementations keep the sealing and the opening state apart (separate JCE objects),
 * so one thread may seal while another opens; each half is not thread-safe on its own.
 */
sealed interface PacketCrypto permits AeadCrypto, CbcCrypto {

    /** Bytes between the end of the opcode header and the payload in a sealed packet. */
    int prefix();

    /** The most bytes a seal writes after the payload's end (tag or padding, before it is moved). */
    int suffix();

    /**
     * Seals {@code buf[payloadOff, payloadOff + len)} in place and writes {@code header} ({@code headerLen} 1 or 4
     * bytes) and the packet id in front. The wire packet starts at {@code payloadOff - headerLen - prefix()};
     * returns its length. The caller reserves that headroom and {@link #suffix()} bytes after the payload.
     */
    int seal(int header, int headerLen, long packetId, byte[] buf, int payloadOff, int len);

    /**
     * Authenticates and decrypts the packet at {@code buf[off, off + len)} in place (it may use up to
     * {@link #suffix()} bytes after the packet when the array has them). On success returns null, points
     * {@code payload} at the plaintext and {@link #openedPacketId()} holds the packet's id; otherwise returns why
     * the packet was dropped. Never throws for hostile input.
     */
    DropReason open(byte[] buf, int off, int len, int headerLen, Span payload);

    /** Packet id of the last successful {@link #open}. */
    long openedPacketId();

    /** Whether either direction's key passed the cipher's AEAD usage limit (2.7 then renegotiates). Any thread. */
    boolean usageLimitReached();

    static void writeHeader(byte[] out, int off, int header, int headerLen) {
        if (headerLen == 1) {
            out[off] = (byte) header;
        } else {
            Bytes.putInt(out, off, header & 0xFFFFFFFFL);
        }
    }
}
