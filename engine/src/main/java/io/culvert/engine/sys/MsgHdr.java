package io.culvert.engine.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The x86-64/aarch64 layouts of {@code struct iovec}, {@code struct msghdr}, {@code struct mmsghdr} and
 * {@code struct cmsghdr} ({@code <sys/socket.h>}), written into and read from native memory; the control message
 * for {@code UDP_SEGMENT} (a {@code u16}) and {@code UDP_GRO} (an {@code int}). Stateless and thread-safe.
 */
public final class MsgHdr {
    public static final int IOVEC_SIZE = 16;
    public static final int SIZE = 56;
    public static final int MMSGHDR_SIZE = 64;
    public static final int CMSG_HDR_SIZE = 16;
    /** {@code CMSG_SPACE(sizeof(u16))} and {@code CMSG_SPACE(sizeof(int))}: 16-byte header, data padded to 8. */
    public static final int CMSG_SPACE_SMALL = 24;

    static final int NAME = 0;
    static final int NAMELEN = 8;
    static final int IOV = 16;
    static final int IOVLEN = 24;
    static final int CONTROL = 32;
    static final int CONTROLLEN = 40;
    static final int FLAGS = 48;
    static final int MSG_LEN = 56;

    private MsgHdr() {}

    /** Writes one {@code struct iovec}. */
    public static void iovec(MemorySegment at, MemorySegment base, long len) {
        at.set(ValueLayout.ADDRESS, 0, base);
        at.set(ValueLayout.JAVA_LONG, 8, len);
    }

    /**
     * Writes a {@code struct msghdr} at {@code msg}.
     *
     * @param name the peer's sockaddr or {@link MemorySegment#NULL}; {@code nameLen} its length
     * @param control the control buffer or {@link MemorySegment#NULL}; {@code controlLen} its used length
     */
    public static void write(MemorySegment msg, MemorySegment name, int nameLen, MemorySegment iov, int iovLen,
            MemorySegment control, int controlLen) {
        msg.set(ValueLayout.ADDRESS, NAME, name);
        msg.set(ValueLayout.JAVA_INT, NAMELEN, nameLen);
        msg.set(ValueLayout.JAVA_INT, NAMELEN + 4, 0);
        msg.set(ValueLayout.ADDRESS, IOV, iov);
        msg.set(ValueLayout.JAVA_LONG, IOVLEN, iovLen);
        msg.set(ValueLayout.ADDRESS, CONTROL, control);
        msg.set(ValueLayout.JAVA_LONG, CONTROLLEN, controlLen);
        msg.set(ValueLayout.JAVA_INT, FLAGS, 0);
    }

    public static int nameLen(MemorySegment msg) {
        return msg.get(ValueLayout.JAVA_INT, NAMELEN);
    }

    public static long controlLen(MemorySegment msg) {
        return msg.get(ValueLayout.JAVA_LONG, CONTROLLEN);
    }

    public static int flags(MemorySegment msg) {
        return msg.get(ValueLayout.JAVA_INT, FLAGS);
    }

    /** {@code msg_len} of the {@code i}-th {@code struct mmsghdr} in {@code vec}. */
    public static int mmsgLen(MemorySegment vec, int i) {
        return vec.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + MSG_LEN);
    }

    /** Writes a {@code SOL_UDP}/{@code UDP_SEGMENT} control message carrying {@code segmentSize}; returns its space. */
    public static int writeUdpSegment(MemorySegment control, int segmentSize) {
        control.asSlice(0, CMSG_SPACE_SMALL).fill((byte) 0);
        control.set(ValueLayout.JAVA_LONG, 0, CMSG_HDR_SIZE + 2);
        control.set(ValueLayout.JAVA_INT, 8, Libc.SOL_UDP);
        control.set(ValueLayout.JAVA_INT, 12, Libc.UDP_SEGMENT);
        control.set(ValueLayout.JAVA_SHORT, CMSG_HDR_SIZE, (short) segmentSize);
        return CMSG_SPACE_SMALL;
    }

    /** {@code CMSG_SPACE(sizeof(struct in_pktinfo))} and {@code CMSG_SPACE(sizeof(struct in6_pktinfo))}. */
    public static final int CMSG_SPACE_PKTINFO = 32;
    public static final int CMSG_SPACE_PKTINFO6 = 40;

    /**
     * Writes the control message that makes a datagram leave from {@code from}: {@code IP_PKTINFO} with
     * {@code ipi_spec_dst} for an IPv4 address (also towards a mapped peer on a dual-stack socket), else
     * {@code IPV6_PKTINFO}; its interface index as given (0: the routing table chooses). Returns its space.
     */
    public static int writePktInfo(MemorySegment control, java.net.InetAddress from, int ifindex) {
        byte[] a = from.getAddress();
        if (a.length == 4) {
            control.asSlice(0, CMSG_SPACE_PKTINFO).fill((byte) 0);
            control.set(ValueLayout.JAVA_LONG, 0, CMSG_HDR_SIZE + 12);
            control.set(ValueLayout.JAVA_INT, 8, Libc.IPPROTO_IP);
            control.set(ValueLayout.JAVA_INT, 12, Libc.IP_PKTINFO);
            control.set(ValueLayout.JAVA_INT, CMSG_HDR_SIZE, ifindex);
            MemorySegment.copy(a, 0, control, ValueLayout.JAVA_BYTE, CMSG_HDR_SIZE + 4, 4); // ipi_spec_dst
            return CMSG_SPACE_PKTINFO;
        }
        control.asSlice(0, CMSG_SPACE_PKTINFO6).fill((byte) 0);
        control.set(ValueLayout.JAVA_LONG, 0, CMSG_HDR_SIZE + 20);
        control.set(ValueLayout.JAVA_INT, 8, Libc.IPPROTO_IPV6);
        control.set(ValueLayout.JAVA_INT, 12, Libc.IPV6_PKTINFO);
        MemorySegment.copy(a, 0, control, ValueLayout.JAVA_BYTE, CMSG_HDR_SIZE, 16); // ipi6_addr
        control.set(ValueLayout.JAVA_INT, CMSG_HDR_SIZE + 16, ifindex);
        return CMSG_SPACE_PKTINFO6;
    }

    /**
     * Finds the packet info among the {@code length} bytes at {@code control} and copies it to {@code raw} as the
     * 4- or 16-byte local address followed by the interface index (an {@code IP_PKTINFO}'s {@code ipi_spec_dst}
     * wins over an {@code IPV6_PKTINFO}, which a dual-stack socket adds for a mapped IPv4 datagram too).
     *
     * @return the address length copied (4 or 16), or 0 when there is none
     */
    public static int findPktInfo(MemorySegment control, long length, byte[] raw) {
        long at = 0;
        int found = 0;
        while (at + CMSG_HDR_SIZE <= length) {
            long len = control.get(ValueLayout.JAVA_LONG, at);
            if (len < CMSG_HDR_SIZE || at + len > length) {
                return found;
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level == Libc.IPPROTO_IP && type == Libc.IP_PKTINFO && len >= CMSG_HDR_SIZE + 12) {
                MemorySegment.copy(control, ValueLayout.JAVA_BYTE, at + CMSG_HDR_SIZE + 4, raw, 0, 4);
                int ifindex = control.get(ValueLayout.JAVA_INT, at + CMSG_HDR_SIZE);
                MemorySegment.ofArray(raw).set(ValueLayout.JAVA_INT_UNALIGNED, 16, ifindex);
                return 4;
            }
            if (level == Libc.IPPROTO_IPV6 && type == Libc.IPV6_PKTINFO && len >= CMSG_HDR_SIZE + 20) {
                MemorySegment.copy(control, ValueLayout.JAVA_BYTE, at + CMSG_HDR_SIZE, raw, 0, 20);
                found = 16;
            }
            at += (len + 7) & ~7L;
        }
        return found;
    }

    /**
     * Finds the {@code SOL_UDP}/{@code UDP_GRO} control message among the {@code length} bytes at {@code control}.
     *
     * @return the segment size it carries, or 0 when there is none (a single datagram)
     */
    public static int findUdpGro(MemorySegment control, long length) {
        long at = 0;
        while (at + CMSG_HDR_SIZE <= length) {
            long len = control.get(ValueLayout.JAVA_LONG, at);
            if (len < CMSG_HDR_SIZE || at + len > length) {
                return 0;
            }
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level == Libc.SOL_UDP && type == Libc.UDP_GRO && len >= CMSG_HDR_SIZE + 4) {
                return control.get(ValueLayout.JAVA_INT, at + CMSG_HDR_SIZE);
            }
            at += (len + 7) & ~7L;
        }
        return 0;
    }
}
