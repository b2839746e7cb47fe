package io.culvert.engine.packet;

import io.culvert.engine.net.IpHeaders;

/**
 * Lowers the TCP MSS option of SYN and SYN-ACK segments in place (OpenVPN's {@code mssfix}) and patches the
 * TCP checksum incrementally (RFC 1624, eqn. 3). Malformed or non-matching packets are left untouched.
 * Stateless and thread-safe.
 */
public final class MssClamp {
    private static final int PROTO_TCP = 6;
    private static final int TCP_FLAG_SYN = 0x02;
    private static final int OPT_EOL = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_MSS = 2;

    private MssClamp() {}

    /** The MSS that keeps a TCP segment inside {@code mtu}: minus 20 (IPv4) or 40 (IPv6) and 20 for TCP. */
    public static int mssForMtu(int mtu, boolean ipv6) {
        return mtu - (ipv6 ? 40 : 20) - 20;
    }

    /**
     * OpenVPN's {@code mssfix} on one packet through the tunnel: clamps a TCP SYN or SYN-ACK (in an Ethernet frame
     * with {@code tap}) to {@code ipv4Mss}, or 20 less for IPv6, whose header is 20 bytes longer; 0 disables.
     * Returns true if it rewrote the MSS.
     */
    public static boolean clampTunnel(byte[] buf, int off, int len, boolean tap, int ipv4Mss) {
        if (ipv4Mss <= 0) {
            return false;
        }
        return tap ? clampEthernet(buf, off, len, ipv4Mss) : clampIp(buf, off, len, ipv4Mss);
    }

    private static boolean clampIp(byte[] pkt, int off, int len, int ipv4Mss) {
        if (off < 0 || len < 0 || off + len > pkt.length) {
            return false;
        }
        if (IpHeaders.isIpv4(pkt, off, len)) {
            return clampIpv4(pkt, off, len, ipv4Mss);
        }
        if (IpHeaders.isIpv6(pkt, off, len)) {
            return clampIpv6(pkt, off, len, ipv4Mss - 20);
        }
        return false;
    }

    /** Clamps an IPv4 or IPv6 packet to {@code maxMss} as it is; returns true if it rewrote the MSS. */
    public static boolean clamp(byte[] pkt, int off, int len, int maxMss) {
        if (off < 0 || len < 0 || off + len > pkt.length) {
            return false;
        }
        if (IpHeaders.isIpv4(pkt, off, len)) {
            return clampIpv4(pkt, off, len, maxMss);
        }
        if (IpHeaders.isIpv6(pkt, off, len)) {
            return clampIpv6(pkt, off, len, maxMss);
        }
        return false;
    }

    /**
     * Clamps the IP packet inside an Ethernet frame (with at most one 802.1Q/802.1ad tag) to {@code maxMss}, 20 less
     * for IPv6 ({@link #clampTunnel}'s rule); returns true if it changed.
     */
    public static boolean clampEthernet(byte[] frame, int off, int len, int maxMss) {
        if (off < 0 || len < IpHeaders.ETHER_HEADER || off + len > frame.length) {
            return false;
        }
        int header = IpHeaders.ETHER_HEADER;
        int type = IpHeaders.etherType(frame, off);
        if (type == IpHeaders.ETHERTYPE_VLAN || type == IpHeaders.ETHERTYPE_QINQ) {
            header += 4;
            if (len < header) {
                return false;
            }
            type = IpHeaders.etherType(frame, off + 4);
        }
        if (type != IpHeaders.ETHERTYPE_IPV4 && type != IpHeaders.ETHERTYPE_IPV6) {
            return false;
        }
        return clampIp(frame, off + header, len - header, maxMss);
    }

    private static boolean clampIpv4(byte[] p, int off, int len, int maxMss) {
        int ihl = (p[off] & 0x0f) * 4;
        int totalLength = u16(p, off + 2);
        boolean firstFragment = (u16(p, off + 6) & 0x1fff) == 0;
        if (ihl < 20 || totalLength < ihl || totalLength > len || !firstFragment || (p[off + 9] & 0xff) != PROTO_TCP) {
            return false;
        }
        return clampTcp(p, off + ihl, totalLength - ihl, maxMss);
    }

    private static boolean clampIpv6(byte[] p, int off, int len, int maxMss) {
        int end = off + 40 + u16(p, off + 4);
        if (end > off + len) {
            return false;
        }
        int next = p[off + 6] & 0xff;
        int at = off + 40;
        // Walk hop-by-hop (0), routing (43) and destination-options (60) headers; anything else ends the search.
        while (next == 0 || next == 43 || next == 60) {
            if (at + 8 > end) {
                return false;
            }
            next = p[at] & 0xff;
            at += ((p[at + 1] & 0xff) + 1) * 8;
        }
        return next == PROTO_TCP && at <= end && clampTcp(p, at, end - at, maxMss);
    }

    private static boolean clampTcp(byte[] p, int tcp, int tcpLen, int maxMss) {
        if (tcpLen < 20 || (p[tcp + 13] & TCP_FLAG_SYN) == 0) {
            return false;
        }
        int dataOffset = ((p[tcp + 12] & 0xff) >>> 4) * 4;
        if (dataOffset < 20 || dataOffset > tcpLen) {
            return false;
        }
        int i = tcp + 20;
        int end = tcp + dataOffset;
        while (i < end) {
            int kind = p[i] & 0xff;
            if (kind == OPT_EOL) {
                return false;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return false;
            }
            int optLen = p[i + 1] & 0xff;
            if (optLen < 2 || i + optLen > end) {
                return false;
            }
            if (kind == OPT_MSS && optLen == 4) {
                return rewriteMss(p, tcp, i + 2, maxMss);
            }
            i += optLen;
        }
        return false;
    }

    private static boolean rewriteMss(byte[] p, int tcp, int at, int maxMss) {
        if (u16(p, at) <= maxMss) {
            return false;
        }
        // The checksum sums 16-bit words aligned to the TCP header; an odd-aligned MSS straddles two of them.
        int first = at - ((at - tcp) & 1);
        int words = first == at ? 1 : 2;
        int sum = ~u16(p, tcp + 16) & 0xffff;
        for (int w = 0; w < words; w++) {
            sum += ~u16(p, first + 2 * w) & 0xffff;
        }
        p[at] = (byte) (maxMss >>> 8);
        p[at + 1] = (byte) maxMss;
        for (int w = 0; w < words; w++) {
            sum += u16(p, first + 2 * w);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = ~sum & 0xffff;
        p[tcp + 16] = (byte) (checksum >>> 8);
        p[tcp + 17] = (byte) checksum;
        return true;
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }
}
