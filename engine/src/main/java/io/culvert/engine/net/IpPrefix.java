package io.culvert.engine.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network: address and prefix length, host bits cleared. Instances are immutable.
 *
 * @param network the network address (host bits zero)
 * @param length  prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6)
 */
public record IpPrefix(InetAddress network, int length) {

    public IpPrefix {
        int bits = network instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + network);
        }
        network = masked(network, length);
    }

    /** Parses {@code 10.8.0.0/24} or {@code 2001:db8::/64}; a bare address is a host prefix. Literals only, no DNS. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress network = Addresses.literal(address);
        int bits = network instanceof Inet4Address ? 32 : 128;
        return new IpPrefix(network, slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1)));
    }

    /** True for an IPv4 network. */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }

    private static InetAddress masked(InetAddress address, int length) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.clamp(length - i * 8L, 0, 8);
            b[i] &= (byte) (0xFF00 >>> keep);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
