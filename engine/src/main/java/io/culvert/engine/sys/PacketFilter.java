package io.culvert.engine.sys;

import java.io.IOException;

/**
 * The host's nftables ruleset and forwarding switches, as a server in gateway mode changes them. {@link LinuxPacketFilter}
 * runs {@code nft} and writes {@code /proc/sys}; {@link InMemoryPacketFilter} is the double for tests. Implementations
 * are thread-safe.
 */
public interface PacketFilter {

    /** Applies an {@code nft -f} script as one transaction: all of it or, on an error, none of it. */
    void apply(String script) throws IOException;

    /** {@code nft list table FAMILY NAME}, or null when there is no such table. */
    String table(String family, String name) throws IOException;

    /** The value of a sysctl such as {@code net/ipv4/ip_forward}, trimmed. */
    String sysctl(String key) throws IOException;

    /** Sets a sysctl such as {@code net/ipv4/ip_forward}. */
    void sysctl(String key, String value) throws IOException;
}
