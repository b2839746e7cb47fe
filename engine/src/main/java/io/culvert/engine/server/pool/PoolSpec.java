package io.culvert.engine.server.pool;

import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * What an {@link AddressPool} hands out: an optional IPv4 range (both ends inclusive) read per
 * {@link Mode}, and an optional IPv6 range from {@code ipv6Base} upwards. {@code netmask} is pushed in
 * SUBNET mode, {@code serverLocal} in P2P mode, {@code serverIpv6} as the peer of {@code ifconfig-ipv6}.
 * Immutable.
 */
public record PoolSpec(Mode mode, Inet4Address start, Inet4Address end, Inet4Address netmask,
        Inet4Address serverLocal, Inet6Address ipv6Base, int ipv6Bits, Inet6Address serverIpv6) {

    /** How the IPv4 pool is laid out and what the second {@code ifconfig} word is. */
    public enum Mode {
        /** tun + topology net30: one /30 per client, {@code ifconfig b+2 b+1}. */
        NET30,
        /** tun + topology p2p: one address per client, {@code ifconfig X SERVER}. */
        P2P,
        /** tun + topology subnet, or tap: one address per client, {@code ifconfig X NETMASK}. */
        SUBNET
    }

    public PoolSpec {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if ((start == null) != (end == null)) {
            throw new IllegalArgumentException("IPv4 pool needs both start and end");
        }
        if (start != null && mode == Mode.SUBNET && netmask == null) {
            throw new IllegalArgumentException("SUBNET pool needs a netmask");
        }
        if (start != null && mode == Mode.P2P && serverLocal == null) {
            throw new IllegalArgumentException("P2P pool needs the server's local address");
        }
        if (start == null && ipv6Base == null) {
            throw new IllegalArgumentException("pool has neither IPv4 nor IPv6 range");
        }
        if (ipv6Base != null && (ipv6Bits < 64 || ipv6Bits > 128)) {
            throw new IllegalArgumentException("IPv6 pool prefix must be /64../128");
        }
    }

    /** An IPv4-only pool from address literals; {@code netmask} and {@code serverLocal} may be null where unused. */
    public static PoolSpec ipv4(Mode mode, String start, String end, String netmask, String serverLocal) {
        return new PoolSpec(mode, v4(start), v4(end), v4(netmask), v4(serverLocal), null, 0, null);
    }

    /** An IPv6-only pool ({@code mode} still decides nothing for IPv6; use SUBNET). */
    public static PoolSpec ipv6Only(String base, int bits, String serverIpv6) {
        return new PoolSpec(Mode.SUBNET, null, null, null, null, v6(base), bits, v6(serverIpv6));
    }

    /** This pool with an IPv6 range added. */
    public PoolSpec withIpv6(String base, int bits, String serverIpv6) {
        return new PoolSpec(mode, start, end, netmask, serverLocal, v6(base), bits, v6(serverIpv6));
    }

    private static Inet4Address v4(String s) {
        return s == null ? null : Inet4Address.ofLiteral(s);
    }

    private static Inet6Address v6(String s) {
        return s == null ? null : (Inet6Address) Inet6Address.ofLiteral(s);
    }
}
