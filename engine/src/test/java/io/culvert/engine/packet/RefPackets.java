package io.culvert.engine.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The tests' own view of packets, written plainly and independently of the code under test: a reference RFC 1071
 * checksum (one 16-bit word at a time), header field accessors, the kernel captures in {@code /packet/*.hex}, and
 * builders for super-segments and frames. Stateless.
 */
final class RefPackets {
    static final int ACK = 0x10;
    static final int PSH = 0x08;

    private RefPackets() {}

    /** RFC 1071, section 4.1, as written there: add 16-bit words, fold the carries, complement. */
    static int rfc1071(byte[] data, int off, int len, long initial) {
        long sum = initial;
        int i = 0;
        while (len - i > 1) {
            sum += ((data[off + i] & 0xff) << 8) | (data[off + i + 1] & 0xff);
            i += 2;
        }
        if (len - i > 0) {
            sum += (data[off + i] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static boolean ipv6(byte[] p, int ip) {
        return (p[ip] & 0xf0) == 0x60;
    }

    static int ipHeaderLength(byte[] p, int ip) {
        return ipv6(p, ip) ? 40 : (p[ip] & 0x0f) * 4;
    }

    static int protocol(byte[] p, int ip) {
        return ipv6(p, ip) ? p[ip + 6] & 0xff : p[ip + 9] & 0xff;
    }

    static int ipLength(byte[] p, int ip) {
        return ipv6(p, ip) ? 40 + u16(p, ip + 4) : u16(p, ip + 2);
    }

    /** The pseudo-header words summed plainly (not folded). */
    static long pseudoSum(byte[] p, int ip, int transportLength) {
        long s = protocol(p, ip) + transportLength;
        int from = ipv6(p, ip) ? ip + 8 : ip + 12;
        int to = ipv6(p, ip) ? ip + 40 : ip + 20;
        for (int i = from; i < to; i += 2) {
            s += u16(p, i);
        }
        return s;
    }

    /** True when the IPv4 header checksum verifies (always for IPv6, which has none). */
    static boolean ipHeaderValid(byte[] p, int ip) {
        return ipv6(p, ip) || rfc1071(p, ip, ipHeaderLength(p, ip), 0) == 0;
    }

    /** True when the TCP or UDP checksum verifies over the pseudo-header, header and payload. */
    static boolean transportValid(byte[] p, int ip) {
        int l4 = ip + ipHeaderLength(p, ip);
        int length = ip + ipLength(p, ip) - l4;
        return rfc1071(p, l4, length, pseudoSum(p, ip, length)) == 0;
    }

    /** The checksum field value a partial-checksum packet carries: the folded pseudo-header sum, not complemented. */
    static int partial(byte[] p, int ip, int transportLength) {
        return ~rfc1071(new byte[0], 0, 0, pseudoSum(p, ip, transportLength)) & 0xffff;
    }

    static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    static long u32(byte[] p, int at) {
        return ((long) u16(p, at) << 16) | u16(p, at + 2);
    }

    static void put32(byte[] p, int at, long v) {
        put16(p, at, (int) (v >>> 16));
        put16(p, at + 2, (int) v);
    }

    /** The packets of a capture, one hex line each. */
    static List<byte[]> capture(String name) {
        try (InputStream in = RefPackets.class.getResourceAsStream("/packet/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no capture " + name);
            }
            List<byte[]> packets = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    packets.add(HexFormat.of().parseHex(line.strip()));
                }
            }
            return packets;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a TSO/USO read hands over for these consecutive segments of one flow: the first one's headers with the
     * flags of all of them or-ed, the lengths of the whole, the partial checksum, all payloads; behind a virtio header
     * that says NEEDS_CSUM, the GSO type, the header length and the first segment's payload as the segment size.
     */
    static byte[] superSegment(List<byte[]> segments) {
        byte[] first = segments.getFirst();
        int headers = ipHeaderLength(first, 0) + l4HeaderLength(first, 0);
        int total = headers;
        for (byte[] s : segments) {
            total += ipLength(s, 0) - headers;
        }
        byte[] p = new byte[VirtioNetHdr.LENGTH + total];
        int ip = VirtioNetHdr.LENGTH;
        System.arraycopy(first, 0, p, ip, headers);
        int at = ip + headers;
        boolean tcp = protocol(first, 0) == 6;
        for (byte[] s : segments) {
            int n = ipLength(s, 0) - headers;
            System.arraycopy(s, headers, p, at, n);
            at += n;
            if (tcp) {
                p[ip + ipHeaderLength(first, 0) + 13] |= s[ipHeaderLength(s, 0) + 13];
            }
        }
        int ipHeader = ipHeaderLength(first, 0);
        int l4 = ip + ipHeader;
        if (ipv6(first, 0)) {
            put16(p, ip + 4, total - 40);
        } else {
            put16(p, ip + 2, total);
            put16(p, ip + 10, 0);
            put16(p, ip + 10, rfc1071(p, ip, ipHeader, 0));
        }
        if (!tcp) {
            put16(p, l4 + 4, total - ipHeader);
        }
        put16(p, l4 + (tcp ? 16 : 6), partial(p, ip, total - ipHeader));
        int gsoType = !tcp ? VirtioNetHdr.GSO_UDP_L4 : ipv6(first, 0) ? VirtioNetHdr.GSO_TCPV6 : VirtioNetHdr.GSO_TCPV4;
        new VirtioNetHdr(VirtioNetHdr.F_NEEDS_CSUM, gsoType, headers, ipLength(first, 0) - headers, ipHeader,
                tcp ? 16 : 6).writeTo(p, 0);
        return p;
    }

    static int l4HeaderLength(byte[] p, int ip) {
        int l4 = ip + ipHeaderLength(p, ip);
        return protocol(p, ip) == 6 ? ((p[l4 + 12] & 0xff) >>> 4) * 4 : 8;
    }

    /** The packet behind a virtio header wrapped in an Ethernet frame, with a VLAN tag if asked; header adjusted. */
    static byte[] inFrame(byte[] withHdr, boolean vlan) {
        int l2 = vlan ? 18 : 14;
        byte[] f = new byte[withHdr.length + l2];
        System.arraycopy(withHdr, 0, f, 0, VirtioNetHdr.LENGTH);
        System.arraycopy(withHdr, VirtioNetHdr.LENGTH, f, VirtioNetHdr.LENGTH + l2, withHdr.length - VirtioNetHdr.LENGTH);
        System.arraycopy(ethernet(ipv6(withHdr, VirtioNetHdr.LENGTH), vlan), 0, f, VirtioNetHdr.LENGTH, l2);
        VirtioNetHdr h = VirtioNetHdr.parse(withHdr, 0);
        new VirtioNetHdr(h.flags(), h.gsoType(), h.hdrLen() == 0 ? 0 : h.hdrLen() + l2, h.gsoSize(),
                h.csumStart() + l2, h.csumOffset()).writeTo(f, 0);
        return f;
    }

    static byte[] ethernet(boolean ipv6, boolean vlan) {
        byte[] e = HexFormat.of().parseHex("02000000000102000000000281000064");
        byte[] type = ipv6 ? new byte[] {(byte) 0x86, (byte) 0xdd} : new byte[] {8, 0};
        if (!vlan) {
            byte[] plain = Arrays.copyOf(e, 14);
            plain[12] = type[0];
            plain[13] = type[1];
            return plain;
        }
        byte[] tagged = Arrays.copyOf(e, 18);
        tagged[16] = type[0];
        tagged[17] = type[1];
        return tagged;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * {@code count} ACK-only segments of {@code payload} bytes continuing {@code template}'s flow, the source port
     * moved by {@code flow}, from sequence number {@code seq}, IDs counting up; checksums by the reference.
     */
    static List<byte[]> synthetic(byte[] template, int flow, int count, int payload, long seq) {
        int ipHeader = ipHeaderLength(template, 0);
        int headers = ipHeader + l4HeaderLength(template, 0);
        List<byte[]> segs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = Arrays.copyOf(template, headers + payload);
            for (int j = headers; j < p.length; j++) {
                p[j] = (byte) (j * 31 + i * 7 + flow);
            }
            put16(p, ipHeader, u16(template, ipHeader) + flow);
            put32(p, ipHeader + 4, (seq + (long) i * payload) & 0xffffffffL);
            p[ipHeader + 13] = ACK;
            setLengths(p, i);
            fixTcpChecksum(p);
            segs.add(p);
        }
        return segs;
    }

    /** Sets the IP lengths of a packet that fills {@code p}, the IPv4 ID if {@code id >= 0}, and the header checksum. */
    static void setLengths(byte[] p, int id) {
        if (ipv6(p, 0)) {
            put16(p, 4, p.length - 40);
            return;
        }
        put16(p, 2, p.length);
        if (id >= 0) {
            put16(p, 4, 0x1000 + id);
        }
        put16(p, 10, 0);
        put16(p, 10, rfc1071(p, 0, 20, 0));
    }

    /** Recomputes the TCP checksum of the packet that fills {@code p}, with the reference sum. */
    static void fixTcpChecksum(byte[] p) {
        int l4 = ipHeaderLength(p, 0);
        put16(p, l4 + 16, 0);
        put16(p, l4 + 16, rfc1071(p, l4, p.length - l4, pseudoSum(p, 0, p.length - l4)));
    }
}
