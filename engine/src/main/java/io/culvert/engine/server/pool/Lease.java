package io.culvert.engine.server.pool;

import io.culvert.engine.net.Addresses;
import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * One client's tunnel addresses from an {@link AddressPool}: the pool {@code index}, the client's IPv4
 * {@code address} and the second {@code ifconfig} word ({@code peerOrNetmask}: the /30's remote end in
 * net30, the server's address in p2p, the netmask in subnet/tap), and the IPv6 address at the same index.
 * IPv4 or IPv6 fields are null when the pool has no such range. Immutable.
 */
public record Lease(int index, String commonName, Inet4Address address, Inet4Address peerOrNetmask,
        Inet6Address ipv6, int ipv6Bits, Inet6Address serverIpv6) {

    /** The pushed option, e.g. {@code ifconfig 10.8.0.6 10.8.0.5}; null without IPv4. */
    public String ifconfigOption() {
        return address == null ? null
                : "ifconfig " + address.getHostAddress() + " " + peerOrNetmask.getHostAddress();
    }

    /** The pushed option, e.g. {@code ifconfig-ipv6 fd00:8::1000/64 fd00:8::1}; null without IPv6. */
    public String ifconfigIpv6Option() {
        if (ipv6 == null) {
            return null;
        }
        String peer = serverIpv6 == null ? "" : " " + Addresses.rfc5952(serverIpv6.getAddress());
        return "ifconfig-ipv6 " + Addresses.rfc5952(ipv6.getAddress()) + "/" + ipv6Bits + peer;
    }
}
