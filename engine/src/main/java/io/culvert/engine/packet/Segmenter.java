package io.culvert.engine.packet;

import io.culvert.engine.common.DropReason;

/**
 * TSO and USO in user space: splits a TCP or UDP super-segment, read from a TUN/TAP device with a
 * {@link VirtioNetHdr} in front, into packets of at most {@code gsoSize} payload bytes, as the kernel's
 * {@code tcp_gso_segment}/{@code __udp_gso_segment} would on a device without offload.
 *
 * <p>The segments are written one after another into the caller's buffer, segment {@code i} at
 * {@code base + i * stride + headroom}, so that each can be sealed in place with room for the tunnel header in front
 * and the tag behind. Each segment gets its own IPv4 total length, IP ID (the first one's plus {@code i}) and header
 * checksum or IPv6 payload length; TCP segments get their sequence number, FIN and PSH only on the last, CWR only on
 * the first, and a full checksum; UDP segments their length and a full checksum. A packet without GSO is copied as
 * segment 0 with its checksum completed if it was partial. Odd input (truncated headers, a wrong {@code hdrLen},
 * {@code csumStart} or {@code csumOffset}, {@code gsoSize} 0, IPv4 options, IPv6 extension headers, UFO) is refused
 * with a {@link DropReason}, never an exception.
 *
 * <p>Not thread-safe: one instance per reader thread. Nothing is allocated per packet.
 */
public final class Segmenter {
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private final Layout layout = new Layout();
    private final ChecksumCompletion completion = new ChecksumCompletion();
    private final int[] lengths;
    private DropReason lastDrop;
    private int total;

    /** A segmenter that produces at most {@code maxSegments} segments per super-segment. */
    public Segmenter(int maxSegments) {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments " + maxSegments);
        }
        this.lengths = new int[maxSegments];
    }

    /**
     * Splits the {@code len} bytes at {@code off} (a {@link VirtioNetHdr} and the packet or frame after it) into
     * {@code out}: the first window of {@link #segment(byte[], int, int, boolean, byte[], int, int, int, int)}.
     */
    public int segment(byte[] in, int off, int len, boolean tap, byte[] out, int base, int stride, int headroom) {
        return segment(in, off, len, tap, out, base, stride, headroom, 0);
    }

    /**
     * Cuts the segments {@code first}, {@code first + 1}, … of the super-segment at {@code off} (a
     * {@link VirtioNetHdr} and the packet or frame after it) into {@code out}, at most {@link #maxSegments()} of
     * them: segment {@code first + i} goes to slot {@code i}. Returns how many it cut, whose lengths
     * {@link #length(int)} gives, and {@link #total()} says how many the whole super-segment has, so a caller cuts
     * one with more segments than it holds window by window (a small MSS makes a 64 KiB super-segment hundreds of
     * segments). Returns -1 with {@link #lastDrop()} saying why the input is refused; {@code out} may have been
     * written to then. A window whose segments do not fit the stride or the buffer is {@link DropReason#OVERSIZED}.
     */
    public int segment(byte[] in, int off, int len, boolean tap, byte[] out, int base, int stride, int headroom,
            int first) {
        total = 0;
        if (len < VirtioNetHdr.LENGTH) {
            return drop(DropReason.TRUNCATED);
        }
        int pkt = off + VirtioNetHdr.LENGTH;
        int pktLen = len - VirtioNetHdr.LENGTH;
        int gsoType = VirtioNetHdr.gsoType(in, off) & ~VirtioNetHdr.GSO_ECN;
        int flags = VirtioNetHdr.flags(in, off);
        if (gsoType == VirtioNetHdr.GSO_NONE) {
            if (first > 0) {
                total = 1;
                return 0;
            }
            return whole(in, off, pkt, pktLen, tap, flags, out, base + headroom, stride - headroom);
        }
        if (gsoType != VirtioNetHdr.GSO_TCPV4 && gsoType != VirtioNetHdr.GSO_TCPV6
                && gsoType != VirtioNetHdr.GSO_UDP_L4) {
            return drop(DropReason.OFFLOAD_UNSUPPORTED);
        }
        DropReason r = layout.parse(in, pkt, pktLen, tap, true);
        if (r != null) {
            return drop(r);
        }
        boolean tcp = layout.protocol == Layout.PROTO_TCP;
        boolean typeMatches = switch (gsoType) {
            case VirtioNetHdr.GSO_TCPV4 -> tcp && !layout.ipv6;
            case VirtioNetHdr.GSO_TCPV6 -> tcp && layout.ipv6;
            default -> !tcp;
        };
        int headers = layout.l4 + layout.l4HeaderLength - pkt;
        int hdrLen = VirtioNetHdr.hdrLen(in, off);
        int gsoSize = VirtioNetHdr.gsoSize(in, off);
        int payload = layout.ipEnd - layout.l4 - layout.l4HeaderLength;
        // The kernel may state hdrLen as the whole linear part of the buffer; never less than the headers.
        if (!typeMatches || (flags & VirtioNetHdr.F_NEEDS_CSUM) == 0 || gsoSize == 0 || payload == 0
                || pkt + VirtioNetHdr.csumStart(in, off) != layout.l4
                || VirtioNetHdr.csumOffset(in, off) != (tcp ? 16 : 6)
                || (hdrLen != 0 && (hdrLen < headers || hdrLen > pktLen))
                || (!tcp && Checksum.u16(in, layout.l4 + 4) != layout.transportLength())) {
            return drop(DropReason.MALFORMED);
        }
        int all = (payload + gsoSize - 1) / gsoSize;
        if (first < 0 || first > all) {
            throw new IllegalArgumentException("segment " + first + " of " + all);
        }
        int count = Math.min(lengths.length, all - first);
        int last = first + count - 1;
        int lastPayload = count == 0 ? 0 : Math.min(gsoSize, payload - last * gsoSize);
        if ((count > 1 && headroom + headers + gsoSize > stride)
                || (count > 0 && base + (count - 1) * stride + headroom + headers + lastPayload > out.length)) {
            return drop(DropReason.OVERSIZED);
        }
        split(in, pkt, headers, payload, gsoSize, first, count, all, tcp, out, base, stride, headroom);
        total = all;
        return count;
    }

    private int whole(byte[] in, int hdr, int pkt, int pktLen, boolean tap, int flags, byte[] out, int at, int room) {
        if (pktLen > room || at + pktLen > out.length) {
            return drop(DropReason.OVERSIZED);
        }
        System.arraycopy(in, pkt, out, at, pktLen);
        if ((flags & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            DropReason r = completion.complete(out, at, pktLen, tap, VirtioNetHdr.csumStart(in, hdr),
                    VirtioNetHdr.csumOffset(in, hdr));
            if (r != null) {
                return drop(r);
            }
        }
        lengths[0] = pktLen;
        total = 1;
        return 1;
    }

    private void split(byte[] in, int pkt, int headers, int payload, int gsoSize, int first, int count, int all,
            boolean tcp, byte[] out, int base, int stride, int headroom) {
        int ipRel = layout.ip - pkt;
        int l4Rel = layout.l4 - pkt;
        int ipHeaderLength = layout.ipHeaderLength;
        int l4HeaderLength = layout.l4HeaderLength;
        int firstId = Checksum.u16(in, layout.ip + 4);
        long firstSeq = readInt(in, layout.l4 + 4);
        int tcpFlags = in[layout.l4 + 13] & 0xff;
        // The addresses are the same in every segment: sum them once, add protocol and length per segment.
        long addresses = layout.ipv6 ? Checksum.sum(in, layout.ip + 8, 32, 0) : Checksum.sum(in, layout.ip + 12, 8, 0);
        int from = pkt + headers;
        for (int i = 0; i < count; i++) {
            int k = first + i; // the segment's index in the whole super-segment
            int chunk = Math.min(gsoSize, payload - k * gsoSize);
            int seg = base + i * stride + headroom;
            System.arraycopy(in, pkt, out, seg, headers);
            System.arraycopy(in, from + k * gsoSize, out, seg + headers, chunk);
            int ip = seg + ipRel;
            int l4 = seg + l4Rel;
            int transportLength = l4HeaderLength + chunk;
            if (layout.ipv6) {
                Checksum.put16(out, ip + 4, transportLength);
            } else {
                Checksum.put16(out, ip + 2, ipHeaderLength + transportLength);
                Checksum.put16(out, ip + 4, firstId + k);
                Checksum.fixIpv4Header(out, ip, ipHeaderLength);
            }
            if (tcp) {
                writeInt(out, l4 + 4, firstSeq + (long) k * gsoSize);
                int f = tcpFlags;
                if (k < all - 1) {
                    f &= ~(TCP_FIN | TCP_PSH);
                }
                if (k > 0) {
                    f &= ~TCP_CWR;
                }
                out[l4 + 13] = (byte) f;
            } else {
                Checksum.put16(out, l4 + 4, transportLength);
            }
            int csum = l4 + (tcp ? 16 : 6);
            out[csum] = 0;
            out[csum + 1] = 0;
            long sum = Checksum.sum(out, l4, transportLength, addresses + layout.protocol + transportLength);
            int checksum = Checksum.finish(sum);
            Checksum.put16(out, csum, !tcp && checksum == 0 ? 0xffff : checksum);
            lengths[i] = headers + chunk;
        }
    }

    /** The length of segment {@code i} of the last successful {@link #segment} call. */
    public int length(int i) {
        return lengths[i];
    }

    /**
     * How many segments the whole super-segment of the last call has (1 for a packet without GSO); more than that
     * call returned when it was cut by windows. 0 after a refusal.
     */
    public int total() {
        return total;
    }

    /** The largest number of segments one call produces. */
    public int maxSegments() {
        return lengths.length;
    }

    /** Why the last call that returned -1 refused its input. */
    public DropReason lastDrop() {
        return lastDrop;
    }

    private int drop(DropReason reason) {
        lastDrop = reason;
        total = 0;
        return -1;
    }

    private static long readInt(byte[] b, int at) {
        return ((long) Checksum.u16(b, at) << 16) | Checksum.u16(b, at + 2);
    }

    private static void writeInt(byte[] b, int at, long v) {
        Checksum.put16(b, at, (int) (v >>> 16) & 0xffff);
        Checksum.put16(b, at + 2, (int) v & 0xffff);
    }
}
