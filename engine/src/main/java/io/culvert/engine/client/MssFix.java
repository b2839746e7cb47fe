package io.culvert.engine.client;

import io.culvert.engine.tun.MssClamp;

/** Clamps the MSS of TCP SYNs leaving through the tunnel so that encapsulated packets fit {@code mssfix}. */
final class MssFix {
    /** opcode/peer-id 4 + packet id 4 + AEAD tag 16 (CBC needs more; this is OpenVPN's AEAD figure). */
    private static final int CRYPTO_OVERHEAD = 24;

    private MssFix() {}

    static void apply(byte[] buf, int off, int len, boolean tap, int mssfix) {
        // IPv4: 20-byte IP + 20-byte TCP header; MssClamp lowers IPv6 by a further 20 itself if it needs to.
        int mss = mssfix - CRYPTO_OVERHEAD - 40;
        if (tap) {
            MssClamp.clampEthernet(buf, off, len, mss);
        } else {
            MssClamp.clamp(buf, off, len, mss);
        }
    }
}
