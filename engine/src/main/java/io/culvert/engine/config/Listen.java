package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;

/**
 * The server's socket: {@code proto}, {@code port} (or {@code lport}) and {@code local}. Instances are immutable.
 *
 * @param proto UDP or TCP
 * @param family the address family from {@code udp4}, {@code tcp6} and similar
 * @param port the listening port
 * @param local the bind address, or null for all
 */
public record Listen(Proto proto, IpFamily family, int port, String local) {
    /** UDP on port 1194, all addresses. */
    public static final Listen DEFAULTS = new Listen(Proto.UDP, IpFamily.ANY, ClientConfig.DEFAULT_PORT, null);
}
