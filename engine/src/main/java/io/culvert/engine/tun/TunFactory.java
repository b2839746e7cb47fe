package io.culvert.engine.tun;

import java.io.IOException;

/** Opens the tun/tap device for a session; the real one uses /dev/net/tun, tests use in-memory devices. */
@FunctionalInterface
public interface TunFactory {
    TunDevice open(String requestedName, boolean tap, int mtu) throws IOException;
}
