package io.culvert.engine.sys;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The kernel's routing as a client that follows its server needs it: a wait for route, address and link changes, and
 * the route the kernel would take to one address now. {@link LinuxRoutes} asks rtnetlink; {@link InMemoryRoutes} is
 * the double for tests. One thread waits; {@link #lookup} and {@link #close} may run on any thread.
 */
public interface Routes extends AutoCloseable {

    /**
     * The kernel's choice for one destination.
     *
     * @param device the outgoing interface's name
     * @param gateway the next hop, or null when the destination is on the link
     * @param source the preferred source address, or null when the kernel named none
     */
    record Route(String device, InetAddress gateway, InetAddress source) {
        @Override
        public String toString() {
            return device + (gateway == null ? "" : " gateway " + gateway.getHostAddress());
        }
    }

    /**
     * Blocks until the kernel reports a change of routes, addresses or links (a burst counts once), or until
     * {@link #close}.
     *
     * @return true for a change, false once closed
     */
    boolean awaitChange() throws IOException;

    /** The route the kernel would use to reach {@code destination} now; null when it has none (unreachable). */
    Route lookup(InetAddress destination) throws IOException;

    /** Ends a waiting {@link #awaitChange} and releases the descriptors; idempotent. */
    @Override
    void close();
}
