package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.Remote;
import java.util.List;

/**
 * How a client reaches its servers: the remotes in order, the retry and timeout policy, and the local bind.
 * Instances are immutable.
 *
 * @param remotes the servers to try, each with its port, protocol and proxy resolved
 * @param remoteRandom {@code remote-random}
 * @param connectRetrySeconds {@code connect-retry} first delay
 * @param connectRetryMaxSeconds {@code connect-retry} largest delay
 * @param connectRetryMax {@code connect-retry-max} (0 = unlimited)
 * @param connectTimeoutSeconds {@code connect-timeout} or {@code server-poll-timeout}
 * @param resolvRetrySeconds {@code resolv-retry} (-1 = infinite)
 * @param nobind {@code nobind}
 * @param lport the resolved local port (0 = any)
 * @param localAddress {@code local}, or null
 * @param shaper {@code shaper}: bytes a second the client sends to the link at most; 0 = no limit
 * @param bindDev {@code bind-dev}: the device (or VRF) the link socket is bound to, or null
 */
public record ClientTransport(List<Remote> remotes, boolean remoteRandom,
                              int connectRetrySeconds, int connectRetryMaxSeconds, int connectRetryMax,
                              int connectTimeoutSeconds, int resolvRetrySeconds,
                              boolean nobind, int lport, String localAddress, int shaper, String bindDev) {
    /** OpenVPN 2.6's defaults, without remotes. */
    public static final ClientTransport DEFAULTS =
            new ClientTransport(List.of(), false, 1, 300, 0, 120, -1, false, ClientConfig.DEFAULT_PORT, null, 0, null);

    /** Without a shaper or a bound device. */
    public ClientTransport(List<Remote> remotes, boolean remoteRandom, int connectRetrySeconds,
                           int connectRetryMaxSeconds, int connectRetryMax, int connectTimeoutSeconds,
                           int resolvRetrySeconds, boolean nobind, int lport, String localAddress) {
        this(remotes, remoteRandom, connectRetrySeconds, connectRetryMaxSeconds, connectRetryMax, connectTimeoutSeconds,
                resolvRetrySeconds, nobind, lport, localAddress, 0, null);
    }

    public ClientTransport {
        remotes = List.copyOf(remotes);
    }
}
