package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;

/**
 * The early-negotiation TLVs a 2.6 server puts in the payload of its HARD_RESET_SERVER_V2 ({@code u16 type, u16 len,
 * value}); the only one defined is type 1, flags, whose bit 1 asks a tls-crypt-v2 client to resend its WKc on its
 * first P_CONTROL ({@code EARLY_NEG_FLAG_RESEND_WKC}). Unknown types are skipped. Immutable.
 *
 * @param resendWkc whether the client must send its message 1 as P_CONTROL_WKC_V1
 */
public record EarlyNegotiation(boolean resendWkc) {
    private static final int TYPE_FLAGS = 0x0001;
    private static final int FLAG_RESEND_WKC = 0x0001;

    /** Parses a reset payload; an empty one means no flags. MALFORMED for a TLV that overruns or a flags TLV not 2 bytes long. */
    public static Decoded<EarlyNegotiation> parse(byte[] b, int off, int len) {
        boolean resend = false;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < 4) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            int type = Bytes.u16(b, p);
            int vlen = Bytes.u16(b, p + 2);
            p += 4;
            if (end - p < vlen) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            if (type == TYPE_FLAGS) {
                if (vlen != 2) {
                    return Decoded.drop(DropReason.MALFORMED);
                }
                resend |= (Bytes.u16(b, p) & FLAG_RESEND_WKC) != 0;
            }
            p += vlen;
        }
        return Decoded.ok(new EarlyNegotiation(resend));
    }

    /** The TLV bytes: the flags TLV when {@code resendWkc}, else nothing. */
    public byte[] toBytes() {
        return resendWkc ? new byte[] {0, TYPE_FLAGS, 0, 2, 0, FLAG_RESEND_WKC} : new byte[0];
    }
}
