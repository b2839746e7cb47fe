package io.culvert.engine.crypto;

/**
 * Finds the WKc a tls-crypt-v2 client appends in the clear to P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1:
 * its own length is the packet's last two bytes. Stateless.
 */
final class WkcTrailer {
    /** Opcode of P_CONTROL_HARD_RESET_CLIENT_V3. */
    static final int RESET_V3 = 10;
    /** Opcode of P_CONTROL_WKC_V1. */
    static final int WKC_V1 = 11;
    /** Shortest tls-crypt packet the WKc can follow: header, replay id, tag. */
    private static final int MIN_PACKET = ControlWrap.HEADER + 8 + 32;

    private WkcTrailer() {}

    /** Whether the packet's opcode is one that carries a WKc. */
    static boolean carriesWkc(byte first) {
        int op = (first & 0xff) >>> 3;
        return op == RESET_V3 || op == WKC_V1;
    }

    /** The WKc's length if it fits behind a minimal tls-crypt packet within {@code len} bytes, else -1. */
    static int length(byte[] b, int off, int len) {
        if (len < MIN_PACKET + TlsCryptV2ClientKey.WKC_OVERHEAD) {
            return -1;
        }
        int wkc = ((b[off + len - 2] & 0xff) << 8) | (b[off + len - 1] & 0xff);
        return wkc < TlsCryptV2ClientKey.WKC_OVERHEAD || wkc > TlsCryptV2ServerKey.MAX_WKC_LENGTH || wkc > len - MIN_PACKET
                ? -1 : wkc;
    }

    /**
     * After the WKc is gone a V3 reset is a V2 reset and a P_CONTROL_WKC_V1 is a P_CONTROL_V1 (2.6 treats them so);
     * rewrites the first byte of a plain packet accordingly, keeping the key id.
     */
    static void normalise(byte[] plain) {
        int op = (plain[0] & 0xff) >>> 3;
        int plainOp = op == RESET_V3 ? 7 : op == WKC_V1 ? 4 : op;
        plain[0] = (byte) (plainOp << 3 | (plain[0] & 0x07));
    }
}
