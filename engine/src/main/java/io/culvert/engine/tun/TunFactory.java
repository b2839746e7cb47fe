package io.culvert.engine.tun;

import java.io.IOException;

/** Opens the tun/tap device for a session; the real one uses /dev/net/tun, tests use in-memory devices. */
@FunctionalInterface
public interface TunFactory {
    TunDevice open(String requestedName, boolean tap, int mtu) throws IOException;

    /**
     * Opens with kernel offloads when {@code offload} is true and the factory and kernel can (see
     * {@link TunDevice#vnetHeaderLength}); a factory without offloads opens a plain device.
     */
    default TunDevice open(String requestedName, boolean tap, int mtu, boolean offload) throws IOException {
        return open(requestedName, tap, mtu);
    }
}
