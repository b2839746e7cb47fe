package io.culvert.engine.packet;

import java.util.Arrays;

/**
 * GRO in user space for the way back to the TUN device: takes the IP packets (for a TAP device, Ethernet frames with
 * at most one VLAN tag) of one burst, one by one, merges consecutive in-order TCP segments of the same flow into one
 * super-segment with a {@link VirtioNetHdr} for one write, and hands every result to a {@link Sink} at
 * {@link #flush()}, in the order each result's first packet came.
 *
 * <p>A segment joins the flow's open super-segment when it has the same Ethernet header (TAP), addresses and ports,
 * IPv4 TOS, TTL and DF (no options, not a fragment) or IPv6 first word and hop limit (no extension headers), the same
 * TCP header length, options, acknowledgment number and window, only ACK or ACK+PSH set, a valid checksum, the next
 * sequence number and a payload of the first segment's size (a shorter one, or PSH, ends the super-segment), and the
 * result stays within 65,535 bytes of IP packet. Any other packet of that flow ends its super-segment, so a flow's
 * bytes keep their order; so does any packet that is not plain IPv4/IPv6 with TCP or UDP (options, extension headers,
 * fragments, ICMP, ARP), for every flow. A super-segment of two or more segments is written with GSO type TCPv4/TCPv6, {@code gsoSize},
 * {@code hdrLen}, {@code csumStart}/{@code csumOffset} and {@link VirtioNetHdr#F_NEEDS_CSUM} with the pseudo-header
 * sum in the checksum field, IPv4 total length and header checksum fixed; every other packet is written unchanged
 * behind a zero header. Packets are copied into the coalescer's own buffers on {@link #add}, so the caller may reuse
 * its buffer at once.
 *
 * <p>Bounded: at most {@code maxFlows} super-segments and {@code maxPackets} results per flush; when either or the
 * pass-through buffer is full, {@link #add} flushes first. Not thread-safe: owned by the one thread that writes to the
 * TUN device. Nothing is allocated per packet.
 */
public final class TcpCoalescer {
    /** The largest IP packet a super-segment may grow to. */
    public static final int MAX_IP_PACKET = 65_535;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;
    /** Room for an Ethernet header with one VLAN tag in front of the IP packet. */
    private static final int MAX_L2 = 18;
    private static final int SLOT_SIZE = VirtioNetHdr.LENGTH + MAX_L2 + MAX_IP_PACKET;

    /** Receives each result: a {@link VirtioNetHdr} and the packet after it, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] buf, int off, int len);
    }

    private final Sink sink;
    private final Layout layout = new Layout();
    private final boolean tap;
    // Super-segment slots: the virtio header at 0, the packet (frame) from VirtioNetHdr.LENGTH, the IP header after
    // slotL2 bytes of Ethernet header; slotLength counts the frame.
    private final byte[][] slots;
    private final int[] slotL2;
    private final int[] slotLength;
    private final boolean[] slotOpen;
    private final boolean[] slotIpv6;
    private final int[] slotHeaders;
    private final int[] slotGsoSize;
    private final int[] slotSegments;
    private final long[] slotNextSeq;
    private final boolean[] slotPsh;
    private int slotsUsed;
    // Results in order: a slot number, or -1 - offset into the pass-through buffer.
    private final int[] results;
    private final int[] resultLength;
    private int resultCount;
    private final byte[] passThrough;
    private int passUsed;

    /**
     * @param tap whether packets are Ethernet frames (at most one VLAN tag) for a TAP device, not IP packets
     * @param sink where {@link #flush()} writes each result
     * @param maxFlows super-segments per flush (each holds a 64 KiB buffer)
     * @param maxPackets results per flush
     * @param passThroughBytes buffer for packets that are not merged; at least one largest packet
     */
    public TcpCoalescer(boolean tap, Sink sink, int maxFlows, int maxPackets, int passThroughBytes) {
        if (sink == null || maxFlows < 1 || maxPackets < 1) {
            throw new IllegalArgumentException("coalescer " + maxFlows + " flows, " + maxPackets + " packets");
        }
        this.sink = sink;
        this.tap = tap;
        this.slotL2 = new int[maxFlows];
        this.slots = new byte[maxFlows][SLOT_SIZE];
        this.slotLength = new int[maxFlows];
        this.slotOpen = new boolean[maxFlows];
        this.slotIpv6 = new boolean[maxFlows];
        this.slotHeaders = new int[maxFlows];
        this.slotGsoSize = new int[maxFlows];
        this.slotSegments = new int[maxFlows];
        this.slotNextSeq = new long[maxFlows];
        this.slotPsh = new boolean[maxFlows];
        this.results = new int[maxPackets];
        this.resultLength = new int[maxPackets];
        this.passThrough = new byte[Math.max(passThroughBytes, SLOT_SIZE)];
    }

    /**
     * Adds one IP packet (or Ethernet frame) of the burst ({@code len} bytes at {@code off}, no virtio header).
     * Returns false, and keeps nothing, for a packet longer than {@link #MAX_IP_PACKET} (plus an Ethernet header
     * with a VLAN tag): the caller counts it as oversized.
     */
    public boolean add(byte[] b, int off, int len) {
        if (len > MAX_IP_PACKET + (tap ? MAX_L2 : 0) || len < 0) {
            return false;
        }
        if (resultCount == results.length) {
            flush();
        }
        if (layout.parse(b, off, len, tap, true) != null) {
            // IP options, extension headers, fragments, ICMP, garbage: rare; end every super-segment so that nothing
            // of a flow can overtake this packet.
            Arrays.fill(slotOpen, false);
            pass(b, off, len);
            return true;
        }
        boolean candidate = layout.protocol == Layout.PROTO_TCP;
        int slot = candidate ? openSlotOf(b, off) : -1;
        int payload = candidate ? layout.ipEnd - layout.l4 - layout.l4HeaderLength : 0;
        boolean mergeable = candidate && payload > 0 && onlyAckOrPsh(b) && checksumValid(b);
        if (slot >= 0) {
            if (mergeable && canAppend(slot, b, payload)) {
                append(slot, b, payload);
                return true;
            }
            slotOpen[slot] = false;
        }
        if (mergeable && (b[layout.l4 + 13] & TCP_PSH) == 0 && off + len == layout.ipEnd) {
            if (slotsUsed == slots.length) {
                flush();
            }
            start(b, off, len, payload);
            return true;
        }
        pass(b, off, len);
        return true;
    }

    /** Writes every result to the sink, in order, and empties the coalescer. */
    public void flush() {
        for (int r = 0; r < resultCount; r++) {
            int ref = results[r];
            if (ref >= 0) {
                finish(ref);
                sink.write(slots[ref], 0, VirtioNetHdr.LENGTH + slotLength[ref]);
            } else {
                sink.write(passThrough, -1 - ref, resultLength[r]);
            }
        }
        resultCount = 0;
        slotsUsed = 0;
        passUsed = 0;
        Arrays.fill(slotOpen, false);
    }

    private int openSlotOf(byte[] b, int off) {
        int keyAt = layout.ipv6 ? layout.ip + 8 : layout.ip + 12;
        int keyLength = layout.ipv6 ? 32 : 8;
        int l2 = layout.ip - off;
        for (int s = 0; s < slotsUsed; s++) {
            if (slotOpen[s] && slotIpv6[s] == layout.ipv6 && slotL2[s] == l2) {
                byte[] slot = slots[s];
                int ip = VirtioNetHdr.LENGTH + l2;
                int l4 = ip + (layout.l4 - layout.ip);
                // Same Ethernet header (addresses, tag, type), addresses and ports.
                if (Arrays.equals(slot, VirtioNetHdr.LENGTH, ip, b, off, layout.ip)
                        && Arrays.equals(slot, ip + (keyAt - layout.ip), ip + (keyAt - layout.ip) + keyLength,
                        b, keyAt, keyAt + keyLength)
                        && Arrays.equals(slot, l4, l4 + 4, b, layout.l4, layout.l4 + 4)) {
                    return s;
                }
            }
        }
        return -1;
    }

    private boolean onlyAckOrPsh(byte[] b) {
        int flags = b[layout.l4 + 13] & 0xff;
        return flags == TCP_ACK || flags == (TCP_ACK | TCP_PSH);
    }

    private boolean checksumValid(byte[] b) {
        int length = layout.transportLength();
        return Checksum.fold(Checksum.sum(b, layout.l4, length, layout.pseudoHeader(b, layout.ip, length))) == 0xffff;
    }

    private boolean canAppend(int s, byte[] b, int payload) {
        byte[] slot = slots[s];
        int ip = VirtioNetHdr.LENGTH + slotL2[s];
        int l4 = ip + layout.ipHeaderLength;
        int headers = slotHeaders[s];
        if (headers != layout.ipHeaderLength + layout.l4HeaderLength || payload > slotGsoSize[s]
                || slotLength[s] - slotL2[s] + payload > MAX_IP_PACKET
                || readInt(b, layout.l4 + 4) != slotNextSeq[s]) {
            return false;
        }
        boolean ipCompatible = layout.ipv6
                ? Arrays.equals(slot, ip, ip + 4, b, layout.ip, layout.ip + 4) && slot[ip + 7] == b[layout.ip + 7]
                : slot[ip + 1] == b[layout.ip + 1] && slot[ip + 8] == b[layout.ip + 8]
                        && Checksum.u16(slot, ip + 6) == Checksum.u16(b, layout.ip + 6);
        // Acknowledgment number, then data offset/flags/window skipping the flags byte, then options.
        return ipCompatible
                && Arrays.equals(slot, l4 + 8, l4 + 13, b, layout.l4 + 8, layout.l4 + 13)
                && Arrays.equals(slot, l4 + 14, l4 + 16, b, layout.l4 + 14, layout.l4 + 16)
                && Arrays.equals(slot, l4 + 20, ip + headers, b, layout.l4 + 20, layout.l4 + layout.l4HeaderLength);
    }

    private void start(byte[] b, int off, int len, int payload) {
        int s = slotsUsed++;
        System.arraycopy(b, off, slots[s], VirtioNetHdr.LENGTH, len);
        slotLength[s] = len;
        slotL2[s] = layout.ip - off;
        slotOpen[s] = true;
        slotIpv6[s] = layout.ipv6;
        slotHeaders[s] = layout.ipHeaderLength + layout.l4HeaderLength;
        slotGsoSize[s] = payload;
        slotSegments[s] = 1;
        slotNextSeq[s] = (readInt(b, layout.l4 + 4) + payload) & 0xffffffffL;
        slotPsh[s] = false;
        results[resultCount] = s;
        resultCount++;
    }

    private void append(int s, byte[] b, int payload) {
        System.arraycopy(b, layout.l4 + layout.l4HeaderLength, slots[s], VirtioNetHdr.LENGTH + slotLength[s], payload);
        slotLength[s] += payload;
        slotSegments[s]++;
        slotNextSeq[s] = (slotNextSeq[s] + payload) & 0xffffffffL;
        boolean psh = (b[layout.l4 + 13] & TCP_PSH) != 0;
        if (psh || payload < slotGsoSize[s]) {
            slotOpen[s] = false;
            slotPsh[s] = psh;
        }
    }

    private void pass(byte[] b, int off, int len) {
        if (passUsed + VirtioNetHdr.LENGTH + len > passThrough.length) {
            flush();
        }
        VirtioNetHdr.writeNone(passThrough, passUsed);
        System.arraycopy(b, off, passThrough, passUsed + VirtioNetHdr.LENGTH, len);
        results[resultCount] = -1 - passUsed;
        resultLength[resultCount] = VirtioNetHdr.LENGTH + len;
        resultCount++;
        passUsed += VirtioNetHdr.LENGTH + len;
    }

    /** Turns slot {@code s} into what the device takes: unchanged for one segment, a GSO super-segment otherwise. */
    private void finish(int s) {
        byte[] p = slots[s];
        if (slotSegments[s] == 1) {
            VirtioNetHdr.writeNone(p, 0);
            return;
        }
        int l2 = slotL2[s];
        int ip = VirtioNetHdr.LENGTH + l2;
        int ipLength = slotLength[s] - l2;
        boolean ipv6 = slotIpv6[s];
        int ipHeaderLength = ipv6 ? 40 : (p[ip] & 0x0f) * 4;
        int l4 = ip + ipHeaderLength;
        int transportLength = ipLength - ipHeaderLength;
        if (ipv6) {
            Checksum.put16(p, ip + 4, transportLength);
        } else {
            Checksum.put16(p, ip + 2, ipLength);
            Checksum.fixIpv4Header(p, ip, ipHeaderLength);
        }
        if (slotPsh[s]) {
            p[l4 + 13] |= TCP_PSH;
        }
        long pseudo = ipv6 ? Checksum.pseudoHeaderV6(p, ip, Layout.PROTO_TCP, transportLength)
                : Checksum.pseudoHeaderV4(p, ip, Layout.PROTO_TCP, transportLength);
        Checksum.put16(p, l4 + 16, Checksum.fold(pseudo));
        VirtioNetHdr.write(p, 0, VirtioNetHdr.F_NEEDS_CSUM, ipv6 ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4,
                l2 + slotHeaders[s], slotGsoSize[s], l2 + ipHeaderLength, 16);
    }

    private static long readInt(byte[] b, int at) {
        return ((long) Checksum.u16(b, at) << 16) | Checksum.u16(b, at + 2);
    }
}
