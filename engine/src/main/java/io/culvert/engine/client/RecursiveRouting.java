package io.culvert.engine.client;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * OpenVPN's {@code drop_if_recursive_routing} (forward.c), which {@code allow-recursive-routing} turns off: a packet
 * read from the tun device that is addressed to the server's own address and port over the link's protocol would be
 * routed back into the tunnel for ever, so it is dropped. Only IPv4 packets over an IPv4 link and IPv6 packets over
 * an IPv6 link are compared, as in OpenVPN (for IPv6, when the next header is TCP or UDP itself). Immutable and
 * thread-safe.
 */
final class RecursiveRouting {
    private static final int TCP = 6;
    private static final int UDP = 17;

    private final byte[] address;
    private final int port;
    private final int proto;

    private RecursiveRouting(byte[] address, int port, int proto) {
        this.address = address;
        this.port = port;
        this.proto = proto;
    }

    /** The check for a link to {@code remote}, or null when its address is not known (a link through a proxy). */
    static RecursiveRouting forLink(InetSocketAddress remote, boolean tcp) {
        if (remote == null || remote.isUnresolved()) {
            return null;
        }
        return new RecursiveRouting(remote.getAddress().getAddress(), remote.getPort(), tcp ? TCP : UDP);
    }

    /** Whether the IP packet at {@code buf[off, off + len)} goes to the server over the tunnel (drop it). */
    boolean matches(byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4 && address.length == 4) {
            int ihl = (buf[off] & 0x0f) * 4;
            if (ihl < 20 || len < ihl + 4 || (buf[off + 9] & 0xff) != proto) {
                return false;
            }
            return Arrays.equals(buf, off + 16, off + 20, address, 0, 4) && dstPort(buf, off + ihl) == port;
        }
        if (version == 6 && address.length == 16) {
            if (len < 40 + 4 || (buf[off + 6] & 0xff) != proto) {
                return false;
            }
            return Arrays.equals(buf, off + 24, off + 40, address, 0, 16) && dstPort(buf, off + 40) == port;
        }
        return false;
    }

    private static int dstPort(byte[] buf, int l4) {
        return ((buf[l4 + 2] & 0xff) << 8) | (buf[l4 + 3] & 0xff);
    }

}
