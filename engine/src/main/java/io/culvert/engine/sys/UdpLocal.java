package io.culvert.engine.sys;

import java.net.InetAddress;

/**
 * The local end of a received datagram ({@code IP_PKTINFO}/{@code IPV6_PKTINFO}): the address the peer sent to and
 * the interface it arrived on. A server bound to a wildcard address sends its replies from {@code address} (and,
 * when asked, through {@code ifindex}) so that a peer that dialled one of several addresses hears back from that
 * one (OpenVPN's {@code multihome}). Instances are immutable.
 *
 * @param address the local address the datagram was sent to; an IPv4 address also for a mapped one on a
 *     dual-stack socket
 * @param ifindex the interface it arrived on; 0 lets the routing table choose
 */
public record UdpLocal(InetAddress address, int ifindex) {
    @Override
    public String toString() {
        return address.getHostAddress() + (ifindex != 0 ? "%" + ifindex : "");
    }
}
