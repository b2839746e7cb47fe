package io.culvert.engine.packet;

import io.culvert.engine.common.DropReason;

/**
 * Completes a partial checksum in place: a packet read with {@link VirtioNetHdr#F_NEEDS_CSUM} and no GSO carries only
 * the pseudo-header sum in its TCP or UDP checksum field; this sums the transport header and payload from
 * {@code csumStart} to the end of the IP packet and stores the complement there, as the kernel's
 * {@code skb_checksum_help} would. TUN packets and TAP frames (VLAN-tagged or not), IPv4 (with options) and IPv6
 * (with extension headers). Not thread-safe: one instance per thread; it allocates nothing.
 */
public final class ChecksumCompletion {
    private final Layout layout = new Layout();

    /**
     * Completes the checksum of the packet of {@code len} bytes at {@code off} ({@code tap}: an Ethernet frame), with
     * {@code csumStart} and {@code csumOffset} from its {@link VirtioNetHdr}. Returns null when done, otherwise why
     * the packet should be dropped; the packet is unchanged then.
     */
    public DropReason complete(byte[] b, int off, int len, boolean tap, int csumStart, int csumOffset) {
        DropReason r = layout.parse(b, off, len, tap, false);
        if (r != null) {
            return r;
        }
        int start = off + csumStart;
        int expectedOffset = layout.protocol == Layout.PROTO_TCP ? 16 : 6;
        if (start != layout.l4 || csumOffset != expectedOffset) {
            return DropReason.MALFORMED;
        }
        store(b, start, layout.ipEnd - start, csumOffset, layout.protocol == Layout.PROTO_UDP);
        return null;
    }

    /**
     * Sums {@code length} bytes from {@code start}, whose field at {@code start + csumOffset} holds the pseudo-header
     * sum, and stores the checksum there; a UDP checksum of zero is sent as 0xffff (zero means "none").
     */
    static void store(byte[] b, int start, int length, int csumOffset, boolean udp) {
        int checksum = Checksum.finish(Checksum.sum(b, start, length, 0));
        Checksum.put16(b, start + csumOffset, udp && checksum == 0 ? 0xffff : checksum);
    }
}
