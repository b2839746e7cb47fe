package io.culvert.engine.session;

import io.culvert.engine.packet.MssClamp;
import io.culvert.engine.common.Mssfix;
import io.culvert.engine.crypto.AuthDigest;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.protocol.CompressionFraming;

/**
 * The largest TCP MSS that keeps an encapsulated packet within {@code mssfix}, by OpenVPN 2.6's arithmetic
 * ({@code frame_calculate_mssfix}): from the size, take the OpenVPN header (opcode, or opcode and peer-id), the
 * crypto overhead (AEAD: packet id and tag; CBC: IV and HMAC, the payload rounded down to whole blocks less a padding
 * byte, the packet id inside), the TCP length prefix, with {@code mtu} the outer IP and UDP/TCP headers, then the
 * inner overhead (compression byte, TAP's 32 bytes of tun-mtu-extra) and 40 bytes of inner IPv4 and TCP header.
 * IPv6 inner packets get 20 less when clamped ({@code packet.MssClamp}). One place for client and
 * server. Stateless.
 */
public final class MssLimit {
    private static final int PACKET_ID = 4;
    private static final int EPOCH_PACKET_ID = 8;
    private static final int AEAD_TAG = 16;
    private static final int CBC_BLOCK = 16;
    private static final int CBC_IV = 16;
    /** OpenVPN's default tun-mtu-extra for TAP, counted as payload overhead. */
    private static final int TAP_EXTRA = 32;
    private static final int INNER_IPV4_AND_TCP = 40;

    private MssLimit() {}

    /** What the link adds around each inner packet. */
    public record Link(boolean tcp, boolean ipv6, boolean peerId, boolean tap) {}

    /**
     * The MSS for inner IPv4 TCP; 0 when the clamp is off.
     *
     * @param setting the effective {@code mssfix} ({@link Mssfix#effective})
     * @param cipher the negotiated data cipher
     * @param auth the {@code auth} digest (used with CBC only)
     * @param framing the negotiated compression framing
     */
    public static int ipv4Mss(Mssfix setting, DataCipher cipher, AuthDigest auth, CompressionFraming framing, Link link) {
        return ipv4Mss(setting, cipher, auth, framing, link, false);
    }

    /** As above; {@code epoch}: 2.7's epoch data format, whose packet id is 8 bytes. */
    public static int ipv4Mss(Mssfix setting, DataCipher cipher, AuthDigest auth, CompressionFraming framing, Link link,
            boolean epoch) {
        if (setting.off()) {
            return 0;
        }
        if (setting.mode() == Mssfix.Mode.FIXED) {
            return Math.max(0, setting.value() - INNER_IPV4_AND_TCP);
        }
        int header = (link.tcp() ? 2 : 0) + (link.peerId() ? 4 : 1);
        int payloadOverhead = INNER_IPV4_AND_TCP + (link.tap() ? TAP_EXTRA : 0) + framing.headerBytes();
        if (cipher.aead()) {
            header += (epoch ? EPOCH_PACKET_ID : PACKET_ID) + AEAD_TAG;
        } else {
            header += CBC_IV + (auth == null ? 0 : auth.length());
            payloadOverhead += PACKET_ID;
        }
        if (setting.mode() == Mssfix.Mode.MTU) {
            header += (link.tcp() ? 20 : 8) + (link.ipv6() ? 40 : 20);
        }
        int target = setting.value() - header;
        if (!cipher.aead()) {
            target = target / CBC_BLOCK * CBC_BLOCK - 1;
        }
        return Math.max(0, target - payloadOverhead);
    }
}
