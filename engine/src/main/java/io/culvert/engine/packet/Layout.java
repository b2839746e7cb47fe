package io.culvert.engine.packet;

import io.culvert.engine.common.DropReason;

/**
 * Where the headers of one packet are: the IP header inside a TUN packet or a (VLAN-tagged) Ethernet frame, and the
 * TCP or UDP header after it. One instance is reused for every packet its owner parses. Not thread-safe; owned by
 * the one object that parses with it.
 */
final class Layout {
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    private static final int ETHER_HEADER = 14;
    private static final int VLAN_TAG = 4;

    /** Offset of the IP header in the buffer. */
    int ip;
    /** IPv4 or IPv6. */
    boolean ipv6;
    /** IP header length, extension headers included. */
    int ipHeaderLength;
    /** First byte after the IP packet as its header declares it (Ethernet padding lies beyond). */
    int ipEnd;
    /** The transport protocol. */
    int protocol;
    /** Offset of the transport header. */
    int l4;
    /** TCP header length with options, or 8 for UDP. */
    int l4HeaderLength;

    /**
     * Parses the packet of {@code len} bytes at {@code off} ({@code tap}: an Ethernet frame with at most one 802.1Q or
     * 802.1ad tag). {@code plain}: refuse IPv4 options and IPv6 extension headers (segmentation and coalescing);
     * otherwise walk past them. The transport must be TCP or UDP with its header complete. Returns null when it
     * parsed, otherwise why not.
     */
    DropReason parse(byte[] b, int off, int len, boolean tap, boolean plain) {
        int l2 = 0;
        int etherType = 0;
        if (tap) {
            if (len < ETHER_HEADER) {
                return DropReason.TRUNCATED;
            }
            etherType = Checksum.u16(b, off + 12);
            l2 = ETHER_HEADER;
            if (etherType == 0x8100 || etherType == 0x88A8) {
                if (len < ETHER_HEADER + VLAN_TAG) {
                    return DropReason.TRUNCATED;
                }
                etherType = Checksum.u16(b, off + 16);
                l2 += VLAN_TAG;
            }
            if (etherType != 0x0800 && etherType != 0x86DD) {
                return DropReason.OFFLOAD_UNSUPPORTED;
            }
        }
        ip = off + l2;
        int ipLen = len - l2;
        if (ipLen < 1) {
            return DropReason.TRUNCATED;
        }
        int version = (b[ip] & 0xff) >>> 4;
        if (tap && version != (etherType == 0x0800 ? 4 : 6)) {
            return DropReason.MALFORMED;
        }
        DropReason r = version == 4 ? parseIpv4(b, ipLen, plain) : version == 6 ? parseIpv6(b, ipLen, plain)
                : DropReason.MALFORMED;
        return r != null ? r : parseTransport(b);
    }

    private DropReason parseIpv4(byte[] b, int ipLen, boolean plain) {
        if (ipLen < 20) {
            return DropReason.TRUNCATED;
        }
        ipv6 = false;
        ipHeaderLength = (b[ip] & 0x0f) * 4;
        int total = Checksum.u16(b, ip + 2);
        if (ipHeaderLength < 20 || total < ipHeaderLength) {
            return DropReason.MALFORMED;
        }
        if (total > ipLen) {
            return DropReason.TRUNCATED;
        }
        if ((Checksum.u16(b, ip + 6) & 0x3fff) != 0 || (plain && ipHeaderLength != 20)) {
            return DropReason.OFFLOAD_UNSUPPORTED;
        }
        ipEnd = ip + total;
        protocol = b[ip + 9] & 0xff;
        return null;
    }

    private DropReason parseIpv6(byte[] b, int ipLen, boolean plain) {
        if (ipLen < 40) {
            return DropReason.TRUNCATED;
        }
        ipv6 = true;
        ipEnd = ip + 40 + Checksum.u16(b, ip + 4);
        if (ipEnd > ip + ipLen) {
            return DropReason.TRUNCATED;
        }
        int next = b[ip + 6] & 0xff;
        int at = ip + 40;
        // Hop-by-hop (0), routing (43) and destination options (60) may precede the transport header.
        while (!plain && (next == 0 || next == 43 || next == 60)) {
            if (at + 8 > ipEnd) {
                return DropReason.TRUNCATED;
            }
            next = b[at] & 0xff;
            at += ((b[at + 1] & 0xff) + 1) * 8;
        }
        ipHeaderLength = at - ip;
        protocol = next;
        return null;
    }

    private DropReason parseTransport(byte[] b) {
        l4 = ip + ipHeaderLength;
        int room = ipEnd - l4;
        if (protocol == PROTO_TCP) {
            if (room < 20) {
                return DropReason.TRUNCATED;
            }
            l4HeaderLength = ((b[l4 + 12] & 0xff) >>> 4) * 4;
            if (l4HeaderLength < 20) {
                return DropReason.MALFORMED;
            }
            return l4HeaderLength > room ? DropReason.TRUNCATED : null;
        }
        if (protocol == PROTO_UDP) {
            l4HeaderLength = 8;
            return room < 8 ? DropReason.TRUNCATED : null;
        }
        return DropReason.OFFLOAD_UNSUPPORTED;
    }

    /** The transport length: header and payload. */
    int transportLength() {
        return ipEnd - l4;
    }

    /** The pseudo-header sum for a transport segment of {@code transportLength} bytes. */
    long pseudoHeader(byte[] b, int ipAt, int transportLength) {
        return ipv6 ? Checksum.pseudoHeaderV6(b, ipAt, protocol, transportLength)
                : Checksum.pseudoHeaderV4(b, ipAt, protocol, transportLength);
    }
}
