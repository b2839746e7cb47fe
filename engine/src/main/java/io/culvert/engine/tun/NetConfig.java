package io.culvert.engine.tun;

import java.io.IOException;
import java.util.Optional;

/**
 * Configures interfaces, addresses and routes for a tunnel, and remembers what it added so that
 * {@link #undoAll} can take it away again. CIDR arguments look like {@code 10.8.0.2/24} or
 * {@code 2001:db8::2/64}; a metric of -1 means "none".
 */
public interface NetConfig {

    /** Sets the MTU (if greater than 0) and brings the link up. */
    void setLinkUp(String dev, int mtu) throws IOException;

    /**
     * Caps the segments of one super-segment the kernel hands a device opened with offloads (its
     * {@code gso_max_segs}); best effort, as an interface setting that only shapes bursts: a kernel or tool that
     * cannot is logged, never a reason to fail.
     */
    default void limitSuperSegments(String dev, int segments) { }

    /** Adds an IPv4 address with prefix, for example {@code 10.8.0.2/24}. */
    void addAddress(String dev, String cidr) throws IOException;

    /** Adds a point-to-point IPv4 address (topology net30/p2p): {@code local} here, {@code peer} at the far end. */
    void addPeerAddress(String dev, String local, String peer) throws IOException;

    /** Adds an IPv4 route; gateway and device may each be null, but not both. */
    void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException;

    /** Like {@link #addRoute(String, String, String, int)}, in routing table {@code table} (0 = main). */
    default void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        if (table != 0) {
            throw new IOException("this host configuration cannot use routing table " + table);
        }
        addRoute(cidr, gatewayOrNull, devOrNull, metric);
    }

    /** Like {@link #addRoute6(String, String, String, int)}, in routing table {@code table} (0 = main). */
    default void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        if (table != 0) {
            throw new IOException("this host configuration cannot use routing table " + table);
        }
        addRoute6(cidr, gatewayOrNull, devOrNull, metric);
    }

    /** Adds an IPv6 address with prefix. */
    void addAddress6(String dev, String cidr) throws IOException;

    /** Adds an IPv6 route; gateway and device may each be null, but not both. */
    void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException;

    /**
     * Removes an IPv4 route this instance added (same arguments as {@link #addRoute}), so {@link #undoAll} no longer
     * does; used when a {@code PUSH_UPDATE} takes a route away. Implementations that cannot remove routes refuse.
     */
    default void removeRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        throw new IOException("removing routes is not supported here");
    }

    /** Like {@link #removeRoute(String, String, String, int)}, in routing table {@code table} (0 = main). */
    default void removeRoute(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        if (table != 0) {
            throw new IOException("routing tables are not supported here");
        }
        removeRoute(cidr, gatewayOrNull, devOrNull, metric);
    }

    /** Like {@link #removeRoute6(String, String, String, int)}, in routing table {@code table} (0 = main). */
    default void removeRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) throws IOException {
        if (table != 0) {
            throw new IOException("routing tables are not supported here");
        }
        removeRoute6(cidr, gatewayOrNull, devOrNull, metric);
    }

    /** Removes an IPv6 route this instance added, as {@link #removeRoute}. */
    default void removeRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) throws IOException {
        throw new IOException("removing routes is not supported here");
    }

    /**
     * Removes an IPv4 address this instance added with {@link #addAddress} (same arguments), so {@link #undoAll} no
     * longer does; used when a {@code PUSH_UPDATE} moves the tunnel's address. Implementations that cannot refuse.
     */
    default void removeAddress(String dev, String cidr) throws IOException {
        throw new IOException("removing addresses is not supported here");
    }

    /** Removes a point-to-point address this instance added with {@link #addPeerAddress}, as {@link #removeAddress}. */
    default void removePeerAddress(String dev, String local, String peer) throws IOException {
        throw new IOException("removing addresses is not supported here");
    }

    /** Removes an IPv6 address this instance added with {@link #addAddress6}, as {@link #removeAddress}. */
    default void removeAddress6(String dev, String cidr) throws IOException {
        throw new IOException("removing addresses is not supported here");
    }

    /** Where the kernel would send a packet to {@code address} now; empty if it is unreachable. */
    Optional<NextHop> routeTo(String address) throws IOException;

    /** The current IPv4 default route (lowest metric); empty if there is none. */
    Optional<NextHop> defaultGateway() throws IOException;

    /** Removes everything this instance added, newest first; best effort, failures are logged, never thrown. */
    void undoAll();
}
