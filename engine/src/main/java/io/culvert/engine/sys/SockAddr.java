package io.culvert.engine.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Encodes and decodes {@code struct sockaddr_in} (16 bytes) and {@code struct sockaddr_in6} (28 bytes) in native
 * memory. On an IPv6 socket an IPv4 peer is written as a v4-mapped address ({@code ::ffff:a.b.c.d}), and a mapped
 * address reads back as the IPv4 address. Stateless and thread-safe.
 */
public final class SockAddr {
    public static final int IN_SIZE = 16;
    public static final int IN6_SIZE = 28;
    /** Room for either. */
    public static final int STORAGE_SIZE = 28;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {}

    /**
     * Writes {@code address} into {@code to} for a socket of family {@code family}.
     *
     * @return the length to pass to the kernel
     * @throws IllegalArgumentException for an unresolved address or an IPv6 peer on an IPv4 socket
     */
    public static int write(InetSocketAddress address, int family, MemorySegment to) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        to.asSlice(0, family == Libc.AF_INET6 ? IN6_SIZE : IN_SIZE).fill((byte) 0);
        to.set(ValueLayout.JAVA_SHORT, 0, (short) family);
        to.set(NET_SHORT, 2, (short) address.getPort());
        byte[] raw = ip.getAddress();
        if (family == Libc.AF_INET) {
            if (raw.length != 4) {
                throw new IllegalArgumentException("an IPv6 peer on an IPv4 socket: " + address);
            }
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, 4, 4);
            return IN_SIZE;
        }
        if (raw.length == 4) {
            to.set(ValueLayout.JAVA_BYTE, 18, (byte) 0xff);
            to.set(ValueLayout.JAVA_BYTE, 19, (byte) 0xff);
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, 20, 4);
        } else {
            MemorySegment.copy(raw, 0, to, ValueLayout.JAVA_BYTE, 8, 16);
            if (ip instanceof Inet6Address v6) {
                to.set(ValueLayout.JAVA_INT, 24, v6.getScopeId());
            }
        }
        return IN6_SIZE;
    }

    /** Reads the address the kernel wrote into {@code from}; null for a family other than IPv4 or IPv6. */
    public static InetSocketAddress read(MemorySegment from) {
        int family = from.get(ValueLayout.JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(from.get(NET_SHORT, 2));
        try {
            if (family == Libc.AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port);
            }
            if (family == Libc.AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, 8, raw, 0, 16);
                InetAddress ip = InetAddress.getByAddress(raw); // a v4-mapped address comes back as Inet4Address
                int scope = from.get(ValueLayout.JAVA_INT, 24);
                if (ip instanceof Inet6Address && scope != 0) {
                    ip = Inet6Address.getByAddress(null, raw, scope);
                }
                return new InetSocketAddress(ip, port);
            }
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    /** The socket family for {@code address}: IPv6 for an IPv6 address, else IPv4. */
    public static int familyOf(InetSocketAddress address) {
        return address != null && address.getAddress() instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
    }

    /** True for an IPv4 address (a socket of this family can reach it directly). */
    static boolean isV4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }
}
